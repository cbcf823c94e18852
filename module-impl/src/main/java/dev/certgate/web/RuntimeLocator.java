package dev.certgate.web;

import dev.certgate.CertgateRuntime;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the web application's {@link CertgateRuntime}, or creates it once. A runtime that someone else put
 * in the context attribute is used and never closed here; one created here is shared by every servlet and
 * filter of the context and closed when the last of them is destroyed.
 */
public final class RuntimeLocator {
    /** Init-param, context param and system property naming the home directory. */
    public static final String HOME_PARAMETER = "certgate.home";
    public static final String HOME_ENVIRONMENT = "CERTGATE_HOME";

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeLocator.class);
    private static final String USERS_ATTRIBUTE = RuntimeLocator.class.getName() + ".users";

    private RuntimeLocator() {
    }

    /** The context's runtime, created from the home if none is there yet; pair with {@link #release}. */
    public static CertgateRuntime acquire(ServletContext context, String initParameterHome) throws ServletException {
        synchronized (RuntimeLocator.class) {
            Object existing = context.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
            Integer users = (Integer) context.getAttribute(USERS_ATTRIBUTE);
            if (existing instanceof CertgateRuntime runtime) {
                if (users != null) {
                    context.setAttribute(USERS_ATTRIBUTE, users + 1);
                }
                return runtime;
            }
            String home = home(initParameterHome, context.getInitParameter(HOME_PARAMETER),
                    System.getProperty(HOME_PARAMETER), System.getenv());
            if (home == null) {
                throw new UnavailableException("Certgate needs a home directory: set the init-param or system property "
                        + HOME_PARAMETER + ", or the environment variable " + HOME_ENVIRONMENT);
            }
            LOG.info("Starting Certgate on home {}", home);
            CertgateRuntime runtime = CertgateRuntime.start(Path.of(home), System.getenv(), context::getInitParameter);
            context.setAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE, runtime);
            context.setAttribute(USERS_ATTRIBUTE, 1);
            return runtime;
        }
    }

    /** Called from destroy(): closes the runtime when the last servlet or filter that uses one created here goes. */
    public static void release(ServletContext context) {
        synchronized (RuntimeLocator.class) {
            Integer users = (Integer) context.getAttribute(USERS_ATTRIBUTE);
            if (users == null) {
                return; // not ours to close
            }
            if (users > 1) {
                context.setAttribute(USERS_ATTRIBUTE, users - 1);
                return;
            }
            context.removeAttribute(USERS_ATTRIBUTE);
            Object runtime = context.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
            context.removeAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
            if (runtime instanceof CertgateRuntime owned) {
                owned.close();
            }
        }
    }

    /** The home in order of precedence: init-param, context param, system property, environment; null if none. */
    static String home(String initParameter, String contextParameter, String systemProperty,
                       Map<String, String> environment) {
        for (String candidate : new String[] {initParameter, contextParameter, systemProperty,
                environment.get(HOME_ENVIRONMENT)}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return null;
    }
}
