package dev.certgate.it.proxy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The host application's own servlet in {@link FilterIT}: answers {@code shop: <method> <path>[?query]}, and for
 * a form POST the {@code name} field read with getParameter (only possible if the filter left the body alone).
 */
public class ShopServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        String form = "POST".equals(request.getMethod()) ? " name=" + request.getParameter("name") : "";
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().print("shop: " + request.getMethod() + " " + path + query + form);
    }
}
