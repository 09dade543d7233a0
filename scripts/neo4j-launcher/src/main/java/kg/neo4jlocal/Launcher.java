package kg.neo4jlocal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.server.CommunityBootstrapper;

/**
 * Runs Neo4j 5 community in this JVM the way its own distribution does (the community bootstrapper,
 * so Bolt, the HTTP connector and the Browser are all served), for machines without Docker.
 *
 * <p>Everything listens on 127.0.0.1 only; authentication is on, and the user {@code neo4j} gets the
 * password of {@code NEO4J_PASSWORD} before anyone is told the server is up: the file
 * {@code HOME/ready} (the Bolt and Browser URLs) is written only then, and removed on shutdown.
 * kg's Browser style is served from a small local HTTP endpoint and applied on every connect.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        try {
            run(options(args));
        } catch (Exception e) {
            // Neo4j's own threads would keep the JVM alive: end it, so neo4j-local reports the failure
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Map<String, String> options) throws Exception {
        Path home = Path.of(options.get("--home")).toAbsolutePath();
        int boltPort = Integer.parseInt(options.get("--bolt-port"));
        int httpPort = Integer.parseInt(options.get("--http-port"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            fail("set NEO4J_PASSWORD to a password of at least 8 characters (Neo4j's minimum)");
        }
        Path ready = home.resolve("ready");
        Files.createDirectories(home);
        Files.deleteIfExists(ready);

        HttpServer style = serveStyle(Path.of(options.get("--style")));
        String styleUrl = "http://127.0.0.1:" + style.getAddress().getPort() + "/browser-style.grass";

        Map<String, String> config = new HashMap<>();
        config.put("server.default_listen_address", "127.0.0.1");
        config.put("server.default_advertised_address", "127.0.0.1");
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + boltPort);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + boltPort);
        config.put("server.http.enabled", "true");
        config.put("server.http.advertised_address", "127.0.0.1:" + httpPort);
        config.put("server.http.listen_address", "127.0.0.1:" + httpPort);
        config.put("server.https.enabled", "false");
        config.put("dbms.security.auth_enabled", "true");
        config.put("server.memory.pagecache.size", options.getOrDefault("--pagecache", "512m"));
        config.put("dbms.usage_report.enabled", "false");
        config.put("browser.post_connect_cmd", "style " + styleUrl);
        config.put("browser.remote_content_hostname_whitelist", "127.0.0.1");
        config.put("server.directories.logs", home.resolve("logs").toString());

        CommunityBootstrapper neo4j = new CommunityBootstrapper();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // the next start removes it too
            }
            neo4j.stop();
            style.stop(0);
            stopped.countDown();
        }));
        if (neo4j.start(home, config) != 0) {
            fail("Neo4j did not start; see " + home.resolve("logs"));
        }
        try {
            neo4j.getDatabaseManagementService().database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            // a restart with the password already set: Neo4j refuses to "change" it to itself
            if (!e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }

        String urls = "bolt://127.0.0.1:" + boltPort + "\nhttp://127.0.0.1:" + httpPort + "/browser/\n";
        Path partial = home.resolve("ready.partial");
        Files.writeString(partial, urls);
        Files.move(partial, ready, StandardCopyOption.ATOMIC_MOVE);
        stopped.await();
    }

    /** The Browser fetches the style itself, so the endpoint answers any origin. */
    private static HttpServer serveStyle(Path grass) throws IOException {
        byte[] body = Files.readAllBytes(grass);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/browser-style.grass", exchange -> {
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--home", "--bolt-port", "--http-port", "--style")) {
            if (!options.containsKey(required)) {
                fail("missing " + required + " (this launcher is run by scripts/neo4j-local)");
            }
        }
        return options;
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
