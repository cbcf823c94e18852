package dev.certgate.admin;

import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;

/** {@code /admin/policies/policy}: the global ("All APIs") policy. */
@Path("policies")
public class PoliciesResource {
    private final PolicyLogic logic;

    public PoliciesResource(@Context ServletContext context) {
        this.logic = new PolicyLogic(RuntimeLocator.from(context));
    }

    @Path("policy")
    public PolicyResource policy() {
        return new PolicyResource(logic, PolicyLogic.Scope.global());
    }
}
