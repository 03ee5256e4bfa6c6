import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import * as tar from "tar";
import { DatasetError, datasetStatus, downloadDataset, importDatasetArchive, loadDataset, type DatasetProgress } from "../../src/training/datasets";
import { asStorageError } from "../../src/training/datasets/errors";

/*
 * The fixture is a CIFAR-10 archive in the real format and at the real sizes (six batches of
 * 10,000 records), mostly zeros so it compresses to almost nothing, with a few marked records.
 * The downloader is pointed at a local HTTP server because these tests must run offline.
 */

const BATCHES = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];
const RECORD = 3073;
const BATCH_BYTES = 10_000 * RECORD;

let scratch: string;
let fixtureFolder: string; // holds cifar-10-batches-bin/
let archive: Buffer;
let archiveMd5: string;
let mnistFiles: Map<string, Buffer>;
let server: http.Server;
let base: string;

function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

function idxGz(dims: number[], values: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((dim, axis) => header.writeUInt32BE(dim, 4 + 4 * axis));
  return gzipSync(Buffer.concat([header, values]));
}

async function newDataDirectory(): Promise<string> {
  return mkdtemp(path.join(scratch, "data-"));
}

/** Whatever failed, the data directory holds no dataset folder and no leftover work files. */
async function assertNothingKept(dataDirectory: string, name: string): Promise<void> {
  await assert.rejects(stat(path.join(dataDirectory, name)), { code: "ENOENT" });
  const incoming = await readdir(path.join(dataDirectory, ".incoming")).catch(() => []);
  assert.deepEqual(incoming, []);
}

async function expectDatasetError(action: () => Promise<unknown>, code: string, ...fragments: string[]): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" should mention "${fragment}"`);
    return true;
  });
}

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "dl-lessons-download-"));
  fixtureFolder = path.join(scratch, "fixture");
  const batches = path.join(fixtureFolder, "cifar-10-batches-bin");
  await mkdir(batches, { recursive: true });
  for (const [index, name] of BATCHES.entries()) {
    const bytes = Buffer.alloc(BATCH_BYTES);
    // Record r's label is (r + batch index) % 10, so every class has its published count and
    // record 0 of each batch has label = batch index. Red pixel (row 1, column 2) = 100 + batch index.
    for (let record = 0; record < 10_000; record++) bytes[record * RECORD] = (record + index) % 10;
    bytes[1 + 1 * 32 + 2] = 100 + index;
    // Last record: blue pixel (31, 31) = 255.
    bytes[(10_000 - 1) * RECORD + 1 + 2 * 1024 + 1023] = 255;
    await writeFile(path.join(batches, name), bytes);
  }
  await writeFile(path.join(batches, "batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
  const archivePath = path.join(scratch, "cifar-10-binary.tar.gz");
  await tar.c({ gzip: { level: 1 }, file: archivePath, cwd: fixtureFolder }, ["cifar-10-batches-bin"]);
  archive = await readFile(archivePath);
  archiveMd5 = md5(archive);

  mnistFiles = new Map([
    ["train-images-idx3-ubyte.gz", idxGz([20, 28, 28], Uint8Array.from({ length: 20 * 784 }, (_, i) => i % 256))],
    ["train-labels-idx1-ubyte.gz", idxGz([20], Uint8Array.from({ length: 20 }, (_, i) => i % 10))],
    ["t10k-images-idx3-ubyte.gz", idxGz([5, 28, 28], new Uint8Array(5 * 784).fill(9))],
    ["t10k-labels-idx1-ubyte.gz", idxGz([5], Uint8Array.from([4, 3, 2, 1, 0]))],
  ]);

  server = http.createServer((request, response) => {
    const url = request.url ?? "/";
    if (url === "/moved/cifar.tar.gz") {
      response.writeHead(302, { location: "/files/cifar-10-binary.tar.gz" }).end();
    } else if (url === "/files/cifar-10-binary.tar.gz") {
      response.writeHead(200, { "content-length": archive.length }).end(archive);
    } else if (url === "/cut/cifar-10-binary.tar.gz") {
      // Announce the whole archive, send half of it, then drop the connection.
      response.writeHead(200, { "content-length": archive.length });
      response.write(archive.subarray(0, archive.length >> 1), () => response.socket?.destroy());
    } else if (url.startsWith("/mnist/") && mnistFiles.has(url.slice(7))) {
      const body = mnistFiles.get(url.slice(7))!;
      response.writeHead(200, { "content-length": body.length }).end(body);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

describe("CIFAR-10 download", () => {
  it("follows a redirect, reports progress, verifies, unpacks into the cache and reads back", async () => {
    const dataDirectory = await newDataDirectory();
    const events: DatasetProgress[] = [];
    await downloadDataset("cifar10", dataDirectory, {
      url: `${base}/moved/cifar.tar.gz`,
      checksums: { "cifar-10-binary.tar.gz": archiveMd5 },
      onProgress: (event) => events.push(event),
    });
    const downloads = events.filter((event) => event.phase === "download");
    assert.equal(downloads.at(-1)?.receivedBytes, archive.length);
    assert.equal(downloads.at(-1)?.totalBytes, archive.length);
    assert.ok(events.some((event) => event.phase === "verify") && events.some((event) => event.phase === "extract"));

    const status = await datasetStatus("cifar10", dataDirectory);
    assert.equal(status.available, true);
    assert.equal(status.source, "cache");
    assert.equal(status.location, path.join(dataDirectory, "cifar10", "cifar-10-batches-bin"));
    // The archive itself is not kept, and no work files are left behind.
    assert.deepEqual(await readdir(path.join(dataDirectory, ".incoming")), []);

    const data = await loadDataset({ name: "cifar10" }, { dataDirectory, download: false });
    assert.equal(data.train.count, 50_000);
    assert.equal(data.test.count, 10_000);
    assert.deepEqual(data.imageShape, [32, 32, 3]);
    assert.equal(data.classNames[9], "truck");
    for (let batch = 0; batch < 5; batch++) {
      const first = batch * 10_000;
      assert.equal(data.train.labels[first], batch);
      assert.equal(data.train.images[first * 3072 + (1 * 32 + 2) * 3 + 0], 100 + batch);
      assert.equal(data.train.images[(first + 9_999) * 3072 + (31 * 32 + 31) * 3 + 2], 255);
    }
    assert.equal(data.test.labels[0], 5);
    assert.equal(data.test.images[(1 * 32 + 2) * 3], 105);
  });

  it("keeps nothing when the checksum does not match", async () => {
    const dataDirectory = await newDataDirectory();
    await expectDatasetError(
      () => downloadDataset("cifar10", dataDirectory, { url: `${base}/files/cifar-10-binary.tar.gz`, checksums: { "cifar-10-binary.tar.gz": "0".repeat(32) } }),
      "corrupt",
      "cifar-10-binary.tar.gz",
      "MD5",
    );
    await assertNothingKept(dataDirectory, "cifar10");
  });

  it("the published checksum guards the real address too", async () => {
    const dataDirectory = await newDataDirectory();
    await expectDatasetError(() => downloadDataset("cifar10", dataDirectory, { url: `${base}/files/cifar-10-binary.tar.gz` }), "corrupt", "c32a1d4ab5d03f1284b67883e8d87530");
    await assertNothingKept(dataDirectory, "cifar10");
  });

  it("keeps nothing when the connection drops halfway", async () => {
    const dataDirectory = await newDataDirectory();
    await expectDatasetError(
      () => downloadDataset("cifar10", dataDirectory, { url: `${base}/cut/cifar-10-binary.tar.gz`, checksums: { "cifar-10-binary.tar.gz": archiveMd5 } }),
      "download",
      "cifar-10-binary.tar.gz",
      "stopped",
    );
    await assertNothingKept(dataDirectory, "cifar10");
  });

  it("reports a missing file and a cancelled download in plain words", async () => {
    const dataDirectory = await newDataDirectory();
    await expectDatasetError(() => downloadDataset("cifar10", dataDirectory, { url: `${base}/nowhere.tar.gz` }), "download", "404", "nowhere.tar.gz");
    const controller = new AbortController();
    await expectDatasetError(
      () =>
        downloadDataset("cifar10", dataDirectory, {
          url: `${base}/files/cifar-10-binary.tar.gz`,
          checksums: { "cifar-10-binary.tar.gz": archiveMd5 },
          signal: controller.signal,
          onProgress: () => controller.abort(),
        }),
      "cancelled",
    );
    await assertNothingKept(dataDirectory, "cifar10");
  });
});

describe("CIFAR-10 import", () => {
  it("imports the archive a workshop hands out, then its unpacked folder", async () => {
    const dataDirectory = await newDataDirectory();
    const archivePath = path.join(scratch, "cifar-10-binary.tar.gz");
    await importDatasetArchive("cifar10", archivePath, dataDirectory);
    assert.equal((await datasetStatus("cifar10", dataDirectory)).source, "imported");
    await importDatasetArchive("cifar10", fixtureFolder, dataDirectory);
    const data = await loadDataset({ name: "cifar10", trainLimit: 100 }, { dataDirectory, download: false });
    assert.equal(data.train.count, 100);
    assert.deepEqual(await readdir(path.join(dataDirectory, ".incoming")), []);
    // The learner's folder was copied, not moved.
    assert.equal((await stat(path.join(fixtureFolder, "cifar-10-batches-bin", "test_batch.bin"))).size, BATCH_BYTES);
  });

  it("refuses a folder with a truncated batch and keeps the dataset it had", async () => {
    const dataDirectory = await newDataDirectory();
    await importDatasetArchive("cifar10", fixtureFolder, dataDirectory);
    const broken = path.join(scratch, "broken");
    await mkdir(broken);
    await tar.x({ file: path.join(scratch, "cifar-10-binary.tar.gz"), cwd: broken });
    await truncate(path.join(broken, "cifar-10-batches-bin", "data_batch_3.bin"), 20_480_000);
    await expectDatasetError(() => importDatasetArchive("cifar10", broken, dataDirectory), "corrupt", "data_batch_3.bin is 20,480,000 bytes; a complete batch is 30,730,000 bytes");
    assert.equal((await datasetStatus("cifar10", dataDirectory)).available, true);
    await rm(broken, { recursive: true });
  });

  it("recognises CIFAR-10's Python version and asks for the binary one", async () => {
    const pythonVersion = path.join(scratch, "cifar-10-batches-py");
    await mkdir(pythonVersion, { recursive: true });
    await writeFile(path.join(pythonVersion, "data_batch_1"), "pickle");
    const dataDirectory = await newDataDirectory();
    await expectDatasetError(() => importDatasetArchive("cifar10", pythonVersion, dataDirectory), "corrupt", "Python version", "cifar-10-binary.tar.gz");
  });
});

describe("MNIST download", () => {
  it("downloads the four IDX files from a mirror, verified, and reads them", async () => {
    const dataDirectory = await newDataDirectory();
    const checksums = Object.fromEntries([...mnistFiles].map(([name, body]) => [name, md5(body)]));
    await downloadDataset("mnist", dataDirectory, { url: `${base}/mnist/`, checksums });
    const data = await loadDataset({ name: "mnist" }, { dataDirectory, download: false });
    assert.equal(data.train.count, 20);
    assert.deepEqual([...data.test.labels], [4, 3, 2, 1, 0]);
    assert.equal(data.train.images[784 + 5], (784 + 5) % 256);
  });

  it("keeps nothing when one file fails its checksum", async () => {
    const dataDirectory = await newDataDirectory();
    await expectDatasetError(() => downloadDataset("mnist", dataDirectory, { url: `${base}/mnist/` }), "corrupt", "train-images-idx3-ubyte.gz");
    await assertNothingKept(dataDirectory, "mnist");
  });
});

describe("storage errors", () => {
  it("words a full disk for the learner", () => {
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    const error = asStorageError(full, "/data", "downloading CIFAR-10");
    assert.ok(error instanceof DatasetError);
    assert.equal(error.code, "disk-full");
    assert.match(error.message, /disk holding \/data is full/);
  });
});
