package dev.tracefix.fixloop.repro;

import dev.tracefix.fixloop.FixLoopException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes a commit's tree into a fresh folder, straight from the object database.
 *
 * <p>Why not a checkout: a bisect or patch step must not move the person's HEAD, index or working
 * files, and steps must not share state. Reading blobs into a new folder touches nothing in the
 * repository, costs less than a clone per step, and lets steps run side by side. The folder has no
 * {@code .git}, so a repro that calls git itself does not work there.
 */
public final class TreeMaterializer {
  private TreeMaterializer() {}

  public static Path materialize(Repository repo, ObjectId commitId, Path target) {
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(commitId);
      deleteRecursively(target);
      Files.createDirectories(target);
      tree.addTree(commit.getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        FileMode mode = tree.getFileMode(0);
        Path file = target.resolve(tree.getPathString());
        Files.createDirectories(file.getParent());
        byte[] bytes = repo.open(tree.getObjectId(0)).getBytes();
        if (mode == FileMode.SYMLINK) {
          Files.createSymbolicLink(file, Path.of(new String(bytes, StandardCharsets.UTF_8)));
        } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
          try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
          }
          if (mode == FileMode.EXECUTABLE_FILE) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        } // gitlinks (submodules) are left out: their commits are not in this repository
      }
      return target;
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.GIT,
          "cannot write the tree of " + commitId.name() + " to " + target + ": " + e.getMessage(),
          e);
    }
  }

  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.INTERNAL, "cannot clean work folder " + dir + ": " + e, e);
    }
  }
}
