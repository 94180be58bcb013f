package dev.engineionio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made at test time with the JDK's {@code keytool} (no key is committed): a CA, and server
 * certificates for {@code localhost} and {@code 127.0.0.1} signed by it, as PKCS#12 stores and PEM files. Made once per
 * test JVM in a temporary folder removed at exit. Thread-safe (made under a lock).
 */
public final class TestPki {

    public static final char[] PASSWORD = "changeit".toCharArray();

    private static TestPki shared;

    /** The folder of every file below. */
    public final Path dir;
    /** The CA certificate (PEM), for clients to trust (e.g. Node's {@code ca} option). */
    public final Path caPem;
    private final X509Certificate ca;

    private TestPki(Path dir) throws Exception {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=engineio-nio Test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", "ca.p12", "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", new String(PASSWORD), "-rfc",
                "-file", "ca.pem");
        this.caPem = dir.resolve("ca.pem");
        try (InputStream in = Files.newInputStream(caPem)) {
            this.ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The PKI of this test JVM. */
    public static synchronized TestPki get() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("engineio-nio-pki");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            shared = new TestPki(dir);
        }
        return shared;
    }

    /**
     * A server store {@code <name>.p12} with key entry "server" (chain: server, CA), made on first use.
     *
     * @param name   file name stem, also the certificate's organisation (to tell certificates apart)
     * @param keyAlg "RSA" (2048 bits) or "EC" (P-256)
     */
    public synchronized Path serverStore(String name, String keyAlg) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        if (Files.exists(p12)) {
            return p12;
        }
        String pw = new String(PASSWORD);
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", "server", "-dname",
                "CN=localhost, O=" + name, "-validity", "3", "-keystore", name + ".p12", "-storetype", "PKCS12",
                "-storepass", pw, "-keypass", pw, "-keyalg", keyAlg));
        if (keyAlg.equals("EC")) {
            gen.addAll(List.of("-groupname", "secp256r1"));
        } else {
            gen.addAll(List.of("-keysize", "2048"));
        }
        keytool(gen.toArray(new String[0]));
        keytool("-certreq", "-alias", "server", "-keystore", name + ".p12", "-storepass", pw, "-file",
                name + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", pw, "-infile", name + ".csr",
                "-outfile", name + ".crt", "-rfc", "-validity", "3", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-ext", "eku=serverAuth");
        keytool("-importcert", "-alias", "ca", "-keystore", name + ".p12", "-storepass", pw, "-file", "ca.pem",
                "-noprompt");
        keytool("-importcert", "-alias", "server", "-keystore", name + ".p12", "-storepass", pw, "-file",
                name + ".crt", "-noprompt");
        return p12;
    }

    /**
     * The same server as PEM files: {@code <name>-chain.pem} (server then CA) and {@code <name>-key.pem} (PKCS#8,
     * "BEGIN PRIVATE KEY"), written from the store.
     *
     * @return {chain, key}
     */
    public synchronized Path[] serverPem(String name, String keyAlg) throws Exception {
        Path p12 = serverStore(name, keyAlg);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD);
        }
        PrivateKey key = (PrivateKey) ks.getKey("server", PASSWORD);
        StringBuilder chain = new StringBuilder();
        for (Certificate c : ks.getCertificateChain("server")) {
            chain.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Path chainFile = dir.resolve(name + "-chain.pem");
        Path keyFile = dir.resolve(name + "-key.pem");
        Files.writeString(chainFile, chain, StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return new Path[] {chainFile, keyFile};
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** A client context that trusts the test CA only. */
    public SSLContext clientContext() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    private void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
