package dev.certgate.admin;

import dev.certgate.config.EntityUsers;

import java.util.ArrayList;
import java.util.List;

/**
 * What uses a certificate, by kind, each by its admin API id: {@code apis} and {@code operations} whose requests
 * present it, {@code backends} whose credentials name it, {@code policies} that name it (by id or thumbprint).
 */
public record UsersView(List<String> apis, List<String> operations, List<String> backends, List<String> policies) {

    static UsersView of(List<EntityUsers.User> users) {
        List<String> apis = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        List<String> backends = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        for (EntityUsers.User user : users) {
            switch (user.kind()) {
                case API -> apis.add(user.id());
                case OPERATION -> operations.add(user.id());
                case BACKEND -> backends.add(user.id());
                case POLICY -> policies.add(user.id());
            }
        }
        return new UsersView(List.copyOf(apis), List.copyOf(operations), List.copyOf(backends), List.copyOf(policies));
    }
}
