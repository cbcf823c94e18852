package dev.certgate.admin;

import dev.certgate.api.model.Entity;
import dev.certgate.config.Preconditions;
import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataMultiPart;

import java.io.InputStream;

/** {@code /admin/certificates}: client certificates (CONTRACT §5). */
@Path("certificates")
@Produces(MediaType.APPLICATION_JSON)
public class CertificatesResource {
    private final CertificateLogic logic;

    public CertificatesResource(@Context ServletContext context) {
        this.logic = new CertificateLogic(RuntimeLocator.from(context));
    }

    @GET
    public Response list() {
        return Responses.ok(logic.list());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return Responses.entity(logic.get(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, Entity<CertificateUpload> body,
                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return Responses.written(logic.put(id, body, new Preconditions(ifMatch, ifNoneMatch)));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@PathParam("id") String id, FormDataMultiPart form,
                           @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Uploads.refuseRepeatedOrUnknownFields(form);
        FormDataBodyPart file = form.getField("file");
        FormDataBodyPart password = form.getField("password");
        return Responses.written(logic.put(id, Uploads.part(file == null ? null : file.getValueAs(InputStream.class),
                "file"), password == null ? null : password.getValue(), new Preconditions(ifMatch, ifNoneMatch)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        logic.delete(id, new Preconditions(ifMatch, ifNoneMatch));
        return Responses.deleted();
    }
}
