/** Prints the segments per quarter circle the hub draws for an area tolerance (geo's CircleVertices). */
public class QuadSegs {
    public static void main(String[] args) {
        System.out.println(ca.cmp.hub.geo.areal.CircleVertices.quadrantSegments(Double.parseDouble(args[0])));
    }
}
