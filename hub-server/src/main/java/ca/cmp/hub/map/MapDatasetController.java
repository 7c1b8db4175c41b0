package ca.cmp.hub.map;

import java.util.List;
import java.util.Map;

import ca.cmp.hub.census.CensusDataset;
import ca.cmp.hub.map.internal.DatasetExtents;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.stereotype.Controller;

/** What the map needs to know of each census dataset to make it a level: where it has areas. */
@Controller
class MapDatasetController {

    private final DatasetExtents extents;

    MapDatasetController(DatasetExtents extents) {
        this.extents = extents;
    }

    @BatchMapping(typeName = "CensusDataset")
    Map<CensusDataset, DatasetExtents.Extent> extent(List<CensusDataset> datasets) {
        return extents.of(datasets);
    }
}
