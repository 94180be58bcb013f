package dev.engineionio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The certificate and key of a TLS listener ({@link EngineServer.Builder#listenTls}), reloadable while the server
 * runs: {@link #reload(SSLContext)} (or {@link #reloadPem}, {@link #reloadPkcs12}) makes every connection accepted
 * afterwards use the new context; connections already open keep the one they started with.
 *
 * <h2>What the listener speaks</h2>
 * TLS 1.3 and 1.2 only (whatever else the context enables is turned off), ALPN {@code http/1.1} (a client that offers
 * ALPN without it is refused with the {@code no_application_protocol} alert; a client that offers none is served),
 * the JDK's default cipher suites in the server's order of preference, no client certificates. Client-initiated
 * renegotiation (TLS 1.2) closes the connection. Plain HTTP sent to the port is answered {@code 400} in clear text
 * ("The plain HTTP request was sent to HTTPS port", as nginx does) and closed.
 *
 * <h2>Key files</h2>
 * {@link #fromPkcs12} reads a PKCS#12 keystore (the first key entry). {@link #fromPem} reads a PEM certificate chain
 * (leaf first, as ACME clients write {@code fullchain.pem}) and a PEM private key, unencrypted, in one of the forms
 * {@code BEGIN PRIVATE KEY} (PKCS#8: RSA, EC, Ed25519/Ed448, RSASSA-PSS), {@code BEGIN RSA PRIVATE KEY} (PKCS#1) or
 * {@code BEGIN EC PRIVATE KEY} (SEC 1, named curve); an encrypted key ({@code BEGIN ENCRYPTED PRIVATE KEY}) is
 * refused with a message saying so. Other blocks in the key file (e.g. {@code EC PARAMETERS}) are skipped.
 *
 * <h2>Threads</h2>
 * Any thread: the context is held in a volatile field.
 */
public final class TlsContext {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final String[] ALPN = {"http/1.1"};

    private volatile SSLContext context;

    private TlsContext(SSLContext context) {
        this.context = checked(context);
    }

    /**
     * A TLS listener's context from an initialised {@link SSLContext} the caller brings.
     *
     * @param context a server context (with a key manager)
     * @return the reloadable holder
     * @throws IllegalArgumentException if the context enables neither TLS 1.3 nor TLS 1.2
     */
    public static TlsContext of(SSLContext context) {
        return new TlsContext(context);
    }

    /**
     * A context from a PKCS#12 keystore file: its first key entry (with its chain) is the server's.
     *
     * @param file     the {@code .p12} / {@code .pfx} file
     * @param password the store password (also the key's)
     * @return the reloadable holder
     * @throws IOException              if the file cannot be read or the password is wrong
     * @throws GeneralSecurityException if the store holds no usable key
     */
    public static TlsContext fromPkcs12(Path file, char[] password) throws IOException, GeneralSecurityException {
        return new TlsContext(sslContextFromPkcs12(file, password));
    }

    /**
     * A context from PEM files: a certificate chain and an unencrypted private key (see the class Javadoc for the
     * forms read).
     *
     * @param certificateChain PEM certificates, the server's first
     * @param privateKey       the PEM private key of the first certificate
     * @return the reloadable holder
     * @throws IOException              if a file cannot be read
     * @throws GeneralSecurityException if a file holds no certificate, no supported key, or an encrypted key
     */
    public static TlsContext fromPem(Path certificateChain, Path privateKey) throws IOException,
            GeneralSecurityException {
        return new TlsContext(sslContextFromPem(certificateChain, privateKey));
    }

    /**
     * Replaces the context: connections accepted from now on use it. Any thread.
     *
     * @param next the new server context
     */
    public void reload(SSLContext next) {
        context = checked(next);
    }

    /**
     * Reloads from a PKCS#12 file (see {@link #fromPkcs12}); on an error the current context stays. Any thread.
     *
     * @param file     the keystore
     * @param password its password
     * @throws IOException              if the file cannot be read
     * @throws GeneralSecurityException if it holds no usable key
     */
    public void reloadPkcs12(Path file, char[] password) throws IOException, GeneralSecurityException {
        reload(sslContextFromPkcs12(file, password));
    }

    /**
     * Reloads from PEM files (see {@link #fromPem}); on an error the current context stays. Any thread.
     *
     * @param certificateChain PEM certificates, the server's first
     * @param privateKey       the PEM private key
     * @throws IOException              if a file cannot be read
     * @throws GeneralSecurityException if a file holds no certificate or no supported key
     */
    public void reloadPem(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
        reload(sslContextFromPem(certificateChain, privateKey));
    }

    /**
     * The current context.
     *
     * @return the context new connections get
     */
    public SSLContext sslContext() {
        return context;
    }

    /**
     * A server-mode engine of the current context with the listener's settings (TLS 1.3 and 1.2, ALPN
     * {@code http/1.1}); the server calls it once per accepted connection. Any thread.
     *
     * @return a new engine
     */
    public SSLEngine newServerEngine() {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(protocols(e.getSupportedProtocols()));
        p.setApplicationProtocols(ALPN);
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(false);
        p.setWantClientAuth(false);
        e.setSSLParameters(p);
        // Called only when the client offers ALPN: http/1.1 or the no_application_protocol alert (null).
        e.setHandshakeApplicationProtocolSelector((engine, offered) -> offered.contains(ALPN[0]) ? ALPN[0] : null);
        return e;
    }

    private static SSLContext checked(SSLContext c) {
        Objects.requireNonNull(c, "context");
        protocols(c.getSupportedSSLParameters().getProtocols());
        return c;
    }

    private static String[] protocols(String[] supported) {
        List<String> on = new ArrayList<>();
        for (String p : PROTOCOLS) {
            if (List.of(supported).contains(p)) {
                on.add(p);
            }
        }
        if (on.isEmpty()) {
            throw new IllegalArgumentException("the SSLContext supports neither TLSv1.3 nor TLSv1.2");
        }
        return on.toArray(new String[0]);
    }

    // ------------------------------------------------------------------------------------------ key files

    private static SSLContext sslContextFromPkcs12(Path file, char[] password) throws IOException,
            GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        String alias = null;
        for (String a : java.util.Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(a)) {
                alias = a;
                break;
            }
        }
        if (alias == null) {
            throw new GeneralSecurityException("no private key entry in " + file);
        }
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        Certificate[] chain = ks.getCertificateChain(alias);
        return serverContext(key, chain);
    }

    private static SSLContext sslContextFromPem(Path chainFile, Path keyFile) throws IOException,
            GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(chainFile)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + chainFile);
        }
        PrivateKey key = readPemKey(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
        return serverContext(key, certs.toArray(new Certificate[0]));
    }

    private static SSLContext serverContext(PrivateKey key, Certificate[] chain) throws GeneralSecurityException {
        char[] pw = new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        ks.setKeyEntry("server", key, pw, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** The first private-key block of a PEM text. */
    static PrivateKey readPemKey(String pem, String name) throws GeneralSecurityException {
        int from = 0;
        while (true) {
            int begin = pem.indexOf("-----BEGIN ", from);
            if (begin < 0) {
                throw new GeneralSecurityException("no private key in " + name);
            }
            int labelEnd = pem.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new GeneralSecurityException("malformed PEM in " + name);
            }
            String label = pem.substring(begin + 11, labelEnd);
            String endMarker = "-----END " + label + "-----";
            int end = pem.indexOf(endMarker, labelEnd);
            if (end < 0) {
                throw new GeneralSecurityException("no END line for " + label + " in " + name);
            }
            from = end + endMarker.length();
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(pem.substring(labelEnd + 5, end));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("bad base64 in the " + label + " block of " + name);
            }
            switch (label) {
                case "PRIVATE KEY":
                    return pkcs8(der, name);
                case "RSA PRIVATE KEY":
                    return pkcs8(wrapPkcs8(RSA_ALGORITHM, der), name);
                case "EC PRIVATE KEY":
                    return pkcs8(wrapPkcs8(ecAlgorithm(der, name), der), name);
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("encrypted private keys are not supported (" + name
                            + "): decrypt it first, e.g. openssl pkcs8 -in key.pem -out plain.pem");
                default:
                    break; // e.g. EC PARAMETERS: skip
            }
        }
    }

    private static PrivateKey pkcs8(byte[] der, String name) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm in " + name);
    }

    /** AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** OID id-ecPublicKey (1.2.840.10045.2.1), DER. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
            0x01};

    /** AlgorithmIdentifier id-ecPublicKey with the named curve of a SEC 1 ECPrivateKey's {@code [0]} parameters. */
    private static byte[] ecAlgorithm(byte[] sec1, String name) throws GeneralSecurityException {
        // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING, [0] ECParameters OPTIONAL, ... }
        int[] p = {0};
        int seqLen = readHeader(sec1, p, 0x30, name);
        int end = p[0] + seqLen;
        int versionLength = readHeader(sec1, p, 0x02, name); // (p[0] += readHeader(..) would add to the old p[0])
        p[0] += versionLength;
        int keyLength = readHeader(sec1, p, 0x04, name);
        p[0] += keyLength;
        while (p[0] < end) {
            int tag = sec1[p[0]] & 0xff;
            int len = readHeader(sec1, p, tag, name);
            if (tag == 0xa0) {
                int oidStart = p[0];
                if ((sec1[oidStart] & 0xff) != 0x06) {
                    break;
                }
                ByteArrayOutputStream alg = new ByteArrayOutputStream();
                alg.writeBytes(EC_PUBLIC_KEY_OID);
                alg.write(sec1, oidStart, len);
                return tlv(0x30, alg.toByteArray());
            }
            p[0] += len;
        }
        throw new GeneralSecurityException("EC private key without a named curve in " + name
                + ": convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
    }

    /** Reads a DER tag (must be {@code tag}) and length at {@code p[0]}; leaves {@code p[0]} at the contents. */
    private static int readHeader(byte[] der, int[] p, int tag, String name) throws GeneralSecurityException {
        int i = p[0];
        if (i + 2 > der.length || (der[i] & 0xff) != tag) {
            throw new GeneralSecurityException("malformed key in " + name);
        }
        int len = der[i + 1] & 0xff;
        i += 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n < 1 || n > 3 || i + n > der.length) {
                throw new GeneralSecurityException("malformed key in " + name);
            }
            len = 0;
            for (int k = 0; k < n; k++) {
                len = len << 8 | der[i++] & 0xff;
            }
        }
        if (i + len > der.length) {
            throw new GeneralSecurityException("malformed key in " + name);
        }
        p[0] = i;
        return len;
    }

    /** PrivateKeyInfo { version 0, algorithm, OCTET STRING key }. */
    private static byte[] wrapPkcs8(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, key));
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
