package ca.cmp.hub.map;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The funders' map is the web-map module's static page, served at {@code /}; {@code /map} leads there too. Its
 * data come from the GraphQL API; only the deployment's base-map setting comes from here.
 */
@Controller
class MapController {

    private final MapProperties properties;

    MapController(MapProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/map")
    String map() {
        return "redirect:/";
    }

    @GetMapping("/map/config")
    @ResponseBody
    Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("baseMapUrl", blankToEmpty(properties.baseMapUrl()));
        config.put("baseMapAttribution", blankToEmpty(properties.baseMapAttribution()));
        return config;
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
