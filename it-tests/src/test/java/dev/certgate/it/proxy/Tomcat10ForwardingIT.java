package dev.certgate.it.proxy;

/** {@link TomcatForwarding} in Tomcat 10.1. */
class Tomcat10ForwardingIT extends TomcatForwarding {
    @Override
    String version() {
        return "10.1";
    }
}
