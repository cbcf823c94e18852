package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;

import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.nio.file.Path;

/**
 * Someone else's web application with Certgate inside it as a filter (CONTRACT §6): a web.xml declaring
 * {@code CertgateFilter} with init-param {@code certgate.home} in front of a plain servlet, and certgate-impl
 * with its runtime dependencies as libraries, taken from the built WAR's {@code WEB-INF/lib}. Asynchronous, the
 * filter and the servlet are {@code <async-supported>} and the filter is mapped for {@code ASYNC} dispatches too,
 * as the README asks for the non-blocking path outside Jetty.
 */
final class ShopApplication {
    private ShopApplication() {
    }

    static WebArchive war(String name, Path home) {
        return war(name, home, false);
    }

    static WebArchive war(String name, Path home, boolean asynchronous) {
        String async = asynchronous ? "<async-supported>true</async-supported>" : "";
        String dispatchers = asynchronous ? "<dispatcher>REQUEST</dispatcher><dispatcher>ASYNC</dispatcher>" : "";
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <!-- No container initializers from the libraries: the shop uses none. -->
                  <absolute-ordering/>
                  <filter>
                    <filter-name>certgate</filter-name>
                    <filter-class>dev.certgate.web.CertgateFilter</filter-class>
                    %s
                    <init-param>
                      <param-name>certgate.home</param-name>
                      <param-value>%s</param-value>
                    </init-param>
                  </filter>
                  <filter-mapping>
                    <filter-name>certgate</filter-name>
                    <url-pattern>/*</url-pattern>
                    %s
                  </filter-mapping>
                  <servlet>
                    <servlet-name>shop</servlet-name>
                    <servlet-class>%s</servlet-class>
                    %s
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>shop</servlet-name>
                    <url-pattern>/</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(async, home, dispatchers, ShopServlet.class.getName(), async);
        WebArchive shop = ShrinkWrap.create(WebArchive.class, name)
                .addClass(ShopServlet.class)
                .setWebXML(new StringAsset(webXml));
        return shop.merge(CertgateWar.named("libraries.war"), Filters.include("/WEB-INF/lib/.*\\.jar"));
    }
}
