package ca.cmp.hub.program;

import java.util.UUID;

import ca.cmp.hub.model.LocationPrecision;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.locationtech.jts.geom.Point;

/** A place where a program meets youth: a WGS 84 point with its address, and how precise the point is. */
@Entity
@Table(name = "site")
public class Site {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "program_id")
    private Program program;

    @Column(name = "source_id")
    private String sourceId;

    private String name;

    private String address;

    private String city;

    private String province;

    @Column(name = "postal_code")
    private String postalCode;

    @Column(columnDefinition = "geometry(Point,4326)")
    private Point location;

    @Enumerated(EnumType.STRING)
    private LocationPrecision precision = LocationPrecision.EXACT;

    protected Site() {
    }

    public Site(String sourceId, String name, Point location, LocationPrecision precision) {
        this.id = UUID.randomUUID();
        this.sourceId = sourceId;
        this.name = name;
        this.location = location;
        this.precision = precision;
    }

    public Site address(String address, String city, String province, String postalCode) {
        this.address = address;
        this.city = city;
        this.province = province;
        this.postalCode = postalCode;
        return this;
    }

    void attachTo(Program program) {
        this.program = program;
    }

    public UUID getId() {
        return id;
    }

    public Point getLocation() {
        return location;
    }
}
