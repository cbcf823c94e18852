package dev.certgate.it.proxy;

/** {@link TomcatForwarding} in Tomcat 11. */
class Tomcat11ForwardingIT extends TomcatForwarding {
    @Override
    String version() {
        return "11.0";
    }
}
