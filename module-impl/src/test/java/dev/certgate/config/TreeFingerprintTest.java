package dev.certgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TreeFingerprintTest {
    @TempDir
    Path root;

    private TreeFingerprint.Walk walk() {
        return TreeFingerprint.walk(List.of(root));
    }

    @Test
    void ourOwnWritesAndDeletedFoldersAreNotSomeoneElsesChange() throws Exception {
        Files.createDirectories(root.resolve("apis/a"));
        Files.writeString(root.resolve("apis/a/policy.xml"), "<policies/>");
        Files.createDirectories(root.resolve("apis/gone/operations"));
        Files.writeString(root.resolve("apis/gone/operations/op.json"), "{}");
        TreeFingerprint.Walk before = walk();

        Files.createDirectories(root.resolve("backends/b"));
        Files.writeString(root.resolve("backends/b/backendInformation.json"), "{}");
        Files.delete(root.resolve("apis/gone/operations/op.json"));
        Files.delete(root.resolve("apis/gone/operations"));
        Files.delete(root.resolve("apis/gone"));
        List<ConfigChange.Step> ours = List.of(
                new ConfigChange.Step(root.resolve("backends/b/backendInformation.json"), new byte[0], false),
                new ConfigChange.Step(root.resolve("apis/gone"), null, true));

        TreeFingerprint.Walk after = walk();
        assertThat(after.digest()).isNotEqualTo(before.digest());
        assertThat(after.sameOutside(before, ours)).isTrue();
    }

    @Test
    void aFileRenamedAwayOrRewrittenBySomeoneElseIsSeen() throws Exception {
        Path policy = root.resolve("policy.xml");
        Files.writeString(policy, "<policies/>");
        TreeFingerprint.Walk before = walk();

        Files.move(policy, root.resolve("policy.xml~"));
        TreeFingerprint.Walk renamedAway = walk();
        Files.writeString(policy, "<policies/>");
        TreeFingerprint.Walk writtenAnew = walk();

        assertThat(renamedAway.sameOutside(before, List.of())).isFalse();
        assertThat(writtenAnew.sameOutside(before, List.of())).isFalse(); // another inode, another time
        assertThat(writtenAnew.sameOutside(writtenAnew, List.of())).isTrue();
    }
}
