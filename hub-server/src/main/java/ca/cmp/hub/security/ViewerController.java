package ca.cmp.hub.security;

import java.util.List;

import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class ViewerController {

    record Viewer(boolean anonymous, String subject, List<Role> roles, String partnership) {
    }

    @QueryMapping
    Viewer viewer() {
        CurrentCaller caller = CurrentCaller.get();
        return new Viewer(caller.isAnonymous(), caller.subject(), caller.roles().stream().sorted().toList(),
                caller.partnership());
    }
}
