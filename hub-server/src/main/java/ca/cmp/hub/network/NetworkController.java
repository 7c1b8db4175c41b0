package ca.cmp.hub.network;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.census.CensusDatasets;
import ca.cmp.hub.census.SmallAreaProtection;
import ca.cmp.hub.graphql.InvalidArgumentException;
import ca.cmp.hub.partnership.Partnership;
import ca.cmp.hub.partnership.PartnershipRepository;
import ca.cmp.hub.security.Gate;
import ca.cmp.hub.security.Permission;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The network view: which partnerships' regions reach each census area, and the youth no region reaches (where
 * the network needs a new partner) or that several do. Public, under the coverage's small-area protection.
 */
@Controller
class NetworkController {

    static final int MAX_AREAS = 20_000;

    enum NetworkOrder { OUTSIDE, OVERLAP }

    private final NetworkView view;
    private final CensusDatasets datasets;
    private final PartnershipRepository partnerships;
    private final SmallAreaProtection privacy;
    private final Gate gate;

    NetworkController(NetworkView view, CensusDatasets datasets, PartnershipRepository partnerships,
            SmallAreaProtection privacy, Gate gate) {
        this.gate = gate;
        this.view = view;
        this.datasets = datasets;
        this.partnerships = partnerships;
        this.privacy = privacy;
    }

    record Figures(Double youth, Double inside, Double outside, Double overlap, Double outsideShare,
            boolean suppressed) {
    }

    record NetworkArea(int rank, String code, String name, String province, Figures figures,
            double coveredAreaShare, double overlapAreaShare, List<UUID> partnershipIds) {
    }

    record Network(CensusDataset dataset, NetworkView.Result result, Figures totals, boolean detailed, String method,
            Instant computedAt) {
    }

    @QueryMapping
    Network network(@Argument String dataset, @Argument Boolean includeRetired) {
        CensusDataset census = datasets.find(dataset).orElseThrow(() -> new InvalidArgumentException("dataset",
                "no census dataset \"" + dataset + "\" is loaded"));
        NetworkView.Result result = view.compute(dataset, Boolean.TRUE.equals(includeRetired));
        boolean detailed = detailed();
        double youth = result.areas().stream().mapToDouble(NetworkView.Area::youth).sum();
        double inside = result.areas().stream().mapToDouble(NetworkView.Area::inside).sum();
        double overlap = result.areas().stream().mapToDouble(NetworkView.Area::overlap).sum();
        String method = "Areal weighting: the youth aged 6-18 of each census area (" + census.vintage() + ") are "
                + "spread evenly over its land; those in the part of it inside no partnership's region are outside "
                + "the network, those in the part inside two regions or more are where regions overlap. "
                + census.licence();
        return new Network(census, result, figures(youth, inside, overlap, detailed), detailed, method,
                result.computedAt());
    }

    @SchemaMapping(typeName = "NetworkView")
    List<Partnership> partnerships(Network network) {
        return partnerships.findAllById(network.result().partnerships()).stream()
                .sorted(Comparator.comparing(Partnership::getName)).toList();
    }

    @SchemaMapping(typeName = "NetworkView")
    List<NetworkArea> areas(Network network, @Argument Integer first, @Argument NetworkOrder order) {
        int limit = first == null ? 100 : first;
        if (limit < 1 || limit > MAX_AREAS) {
            throw new InvalidArgumentException("first", "must be from 1 to " + MAX_AREAS + ", got " + limit);
        }
        Comparator<NetworkView.Area> ranking = order == NetworkOrder.OVERLAP
                ? Comparator.comparingDouble(NetworkView.Area::overlap).reversed()
                : Comparator.comparingDouble(NetworkView.Area::outside).reversed();
        List<NetworkView.Area> ranked = new ArrayList<>(network.result().areas());
        ranked.sort(ranking.thenComparing(NetworkView.Area::code));
        List<NetworkArea> areas = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, ranked.size()); i++) {
            NetworkView.Area a = ranked.get(i);
            areas.add(new NetworkArea(i + 1, a.code(), a.name(), a.province(),
                    figures(a.youth(), a.inside(), a.overlap(), network.detailed()), a.insideShare(),
                    a.overlapShare(), a.partnerships()));
        }
        return areas;
    }

    @BatchMapping(typeName = "NetworkArea")
    Map<NetworkArea, List<Partnership>> partnerships(List<NetworkArea> areas) {
        Map<UUID, Partnership> byId = partnerships.findAllById(areas.stream()
                .flatMap(a -> a.partnershipIds().stream()).distinct().toList()).stream()
                .collect(Collectors.toMap(Partnership::getId, Function.identity()));
        return areas.stream().collect(Collectors.toMap(Function.identity(), a -> a.partnershipIds().stream()
                .map(byId::get).sorted(Comparator.comparing(Partnership::getName)).toList(), (x, y) -> x));
    }

    private Figures figures(double youth, double inside, double overlap, boolean detailed) {
        double outside = Math.max(0, youth - inside);
        Double share = youth == 0 ? null : outside / youth;
        if (detailed) {
            return new Figures(youth, inside, outside, overlap, share, false);
        }
        if (privacy.suppresses(youth)) {
            return new Figures(null, null, null, null, null, true);
        }
        return new Figures(privacy.publish(youth), privacy.publish(inside), privacy.publish(outside),
                privacy.publish(overlap), share, false);
    }

    private boolean detailed() {
        return gate.allows(Permission.READ_DETAILED_FIGURES);
    }
}
