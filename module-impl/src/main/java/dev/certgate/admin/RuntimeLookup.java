package dev.certgate.admin;

import dev.certgate.CertgateRuntime;

import jakarta.servlet.ServletContext;

/** Finds the web application's {@link CertgateRuntime}, which the context listener stored at start-up. */
final class RuntimeLookup {
    private RuntimeLookup() {
    }

    static CertgateRuntime from(ServletContext context) {
        Object runtime = context.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
        if (runtime instanceof CertgateRuntime certgate) {
            return certgate;
        }
        throw new IllegalStateException("No CertgateRuntime in the servlet context: is the context listener declared?");
    }
}
