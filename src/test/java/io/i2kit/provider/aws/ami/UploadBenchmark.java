package io.i2kit.provider.aws.ami;

import io.i2kit.event.Progress;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Drives {@link SnapshotUploader} for bench/aws-upload/run against an EBS endpoint (moto server).
 *
 * <pre>
 * UploadBenchmark generate FILE                      a 1 GiB sparse image, ~4 MiB of random data scattered
 * UploadBenchmark run ENDPOINT LABEL FILE RUNS C...  RUNS uploads at each concurrency C; moto reset before each
 * </pre>
 *
 * An ENDPOINT of {@code fake:MS} uploads to an in-process stand-in ({@link FakeEbs}) that takes MS
 * milliseconds to answer each request, as a round trip to AWS does, where moto answers at once.
 *
 * {@code run} prints one tab-separated line per upload: label, concurrency, run, wall ms, image
 * bytes, data bytes (4 KiB pages not all zero), bytes of non-zero 512 KiB blocks, blocks total,
 * blocks sent, bytes sent, API calls, retries; then the median scan time as a comment.
 */
public final class UploadBenchmark {
    private static final String REGION = "eu-west-1";
    private static final int PAGE = 4096;

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Else the JDK's HTTP server, writing headers and body apart, waits out the client's delayed ACK
        // (40 ms) on every answer, which would be counted as EBS latency.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (args.length == 2 && args[0].equals("generate")) {
            generate(Path.of(args[1]));
        } else if (args.length >= 6 && args[0].equals("run")) {
            List<Integer> concurrencies = new ArrayList<>();
            for (int i = 5; i < args.length; i++) {
                concurrencies.add(Integer.parseInt(args[i]));
            }
            run(args[1], args[2], Path.of(args[3]), Integer.parseInt(args[4]), concurrencies);
        } else {
            System.err.println("usage: UploadBenchmark generate FILE | run ENDPOINT LABEL FILE RUNS CONCURRENCY...");
            System.exit(2);
        }
    }

    /** 1 GiB, with 24 pieces of 16–320 KiB of random bytes at random 4 KiB-aligned offsets (seeded). */
    static void generate(Path file) throws IOException {
        Random random = new Random(20261128);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1L << 30);
            for (int i = 0; i < 24; i++) {
                byte[] piece = new byte[(4 + random.nextInt(77)) * PAGE];
                random.nextBytes(piece);
                raf.seek((long) random.nextInt((1 << 30) / PAGE - piece.length / PAGE) * PAGE);
                raf.write(piece);
            }
        }
    }

    static void run(String target, String label, Path image, int runs, List<Integer> concurrencies) throws Exception {
        if (target.startsWith("fake:")) {
            try (FakeEbs fake = new FakeEbs(Long.parseLong(target.substring(5)))) {
                run(fake.endpoint(), false, label, image, runs, concurrencies);
            }
        } else {
            run(URI.create(target), true, label, image, runs, concurrencies);
        }
    }

    private static void run(URI endpoint, boolean moto, String label, Path image, int runs, List<Integer> concurrencies)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long dataBytes = dataPages(image) * PAGE;
        List<Long> scans = new ArrayList<>();
        for (int c : concurrencies) {
            for (int run = 1; run <= runs; run++) {
                if (moto) {
                    reset(http, endpoint);
                }
                long start = System.nanoTime();
                ImageBlocks blocks = BlockScanner.scan(image);
                scans.add((System.nanoTime() - start) / 1_000_000);
                EbsDirectClient ebs = new EbsDirectClient(endpoint, REGION,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), http);
                UploadStatistics s = new SnapshotUploader(ebs, UploadSettings.DEFAULT.withConcurrency(c))
                        .upload(image, Map.of("i2kit:application", "bench"), "bench " + label, label, Progress.NONE)
                        .statistics();
                System.out.printf(Locale.ROOT, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d%n", label, c, run,
                        s.wallTime().toMillis(), s.imageBytes(), dataBytes, blocks.dataBytes(), s.blocksTotal(),
                        s.blocksSent(), s.bytesSent(), s.apiCalls(), s.retries());
            }
        }
        scans.sort(null);
        System.out.println("# scan ms median " + scans.get(scans.size() / 2));
    }

    /** 4 KiB pages of the image that are not all zeros: its data, at file system granularity. */
    static long dataPages(Path image) throws IOException {
        long pages = 0;
        ByteBuffer zeros = ByteBuffer.allocate(PAGE);
        ByteBuffer buffer = ByteBuffer.allocate(PAGE * 256);
        try (FileChannel channel = FileChannel.open(image)) {
            for (long position = 0; channel.read(buffer.clear(), position) > 0; position += buffer.capacity()) {
                buffer.flip();
                for (int offset = 0; offset < buffer.limit(); offset += PAGE) {
                    int length = Math.min(PAGE, buffer.limit() - offset);
                    if (buffer.slice(offset, length).mismatch(zeros.slice(0, length)) >= 0) {
                        pages++;
                    }
                }
            }
        }
        return pages;
    }

    private static void reset(HttpClient http, URI endpoint) throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IOException("moto reset answered " + r.statusCode());
        }
    }
}
