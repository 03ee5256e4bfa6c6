/**
 * The lesson's prepare step on uint8 data: a seeded 80/20 train/validation split (optionally
 * stratified), subsets by index, and "the first N images" for quick runs.
 *
 * The unstratified split reproduces scikit-learn's `train_test_split(..., random_state=seed)`:
 * NumPy's legacy `RandomState(seed).permutation(n)` (MT19937 plus the bounded-integer shuffle
 * below), the first ceil(fraction * n) indices for validation and the rest for training, both in
 * permutation order. So the learner's validation images are the ones Keras would have held out.
 */
import type { ImageSet } from "./types";

const STATE_SIZE = 624;

/** MT19937 seeded like NumPy's `RandomState(seed)` with an integer seed. */
export class MersenneTwister {
  private readonly state = new Uint32Array(STATE_SIZE);
  private position = STATE_SIZE;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`A seed must be an integer from 0 to 2^32 - 1, not ${seed}.`);
    this.state[0] = seed;
    for (let i = 1; i < STATE_SIZE; i++) {
      const previous = this.state[i - 1]! ^ (this.state[i - 1]! >>> 30);
      this.state[i] = Math.imul(1812433253, previous) + i;
    }
  }

  nextUint32(): number {
    if (this.position >= STATE_SIZE) this.twist();
    let y = this.state[this.position++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max], drawn the way NumPy's legacy `random_interval` does (mask and reject). */
  nextIntInclusive(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError("Only ranges below 2^32 are supported.");
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  private twist(): void {
    const mt = this.state;
    for (let i = 0; i < STATE_SIZE; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % STATE_SIZE]! & 0x7fffffff);
      mt[i] = mt[(i + 397) % STATE_SIZE]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.position = 0;
  }
}

/** `numpy.random.RandomState(seed).permutation(n)`. */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = new MersenneTwister(seed);
  for (let i = n - 1; i >= 1; i--) {
    const j = random.nextIntInclusive(i);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

function bytesPerImage(set: ImageSet): number {
  return set.count === 0 ? 0 : set.images.length / set.count;
}

/** The images at `indices`, in that order (copied, so the source can be dropped). */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = bytesPerImage(set);
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k]!;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) throw new RangeError(`Image index ${index} is outside 0..${set.count - 1}.`);
    images.set(set.images.subarray(index * size, (index + 1) * size), k * size);
    labels[k] = set.labels[index]!;
  }
  return { images, labels, count: indices.length };
}

/** Indices of each class, in the given order. */
function indicesByClass(labels: Uint8Array, order: ArrayLike<number>): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (let k = 0; k < order.length; k++) {
    const index = order[k]!;
    const label = labels[index]!;
    let members = byClass.get(label);
    if (!members) byClass.set(label, (members = []));
    members.push(index);
  }
  return byClass;
}

/**
 * Shares `total` out between classes in proportion to their sizes, rounding by largest
 * remainder so the shares add up exactly and each class keeps its share of the whole.
 */
function proportionalQuotas(classSizes: Map<number, number>, total: number): Map<number, number> {
  const population = [...classSizes.values()].reduce((sum, size) => sum + size, 0);
  const quotas = new Map<number, number>();
  const remainders: { label: number; remainder: number }[] = [];
  let assigned = 0;
  for (const [label, size] of classSizes) {
    const exact = (total * size) / population;
    quotas.set(label, Math.floor(exact));
    assigned += Math.floor(exact);
    remainders.push({ label, remainder: exact - Math.floor(exact) });
  }
  remainders.sort((a, b) => b.remainder - a.remainder || a.label - b.label);
  for (let k = 0; k < total - assigned; k++) {
    const { label } = remainders[k % remainders.length]!;
    quotas.set(label, quotas.get(label)! + 1);
  }
  return quotas;
}

/**
 * Splits off a validation set, deterministically for a given seed. Without `stratify` it matches
 * scikit-learn's `train_test_split(test_size=fraction, random_state=seed)`. With `stratify` every
 * class keeps its share in both parts (the same permutation decides which images go where; this
 * is not scikit-learn's StratifiedShuffleSplit draw, whose choice of images differs).
 */
export function splitTrainValidation(
  set: ImageSet,
  options: { validationFraction: number; seed: number; stratify?: boolean },
): { train: ImageSet; validation: ImageSet } {
  const { validationFraction, seed } = options;
  if (!(validationFraction > 0 && validationFraction < 1)) throw new RangeError(`The validation fraction must be between 0 and 1, not ${validationFraction}.`);
  const validationCount = Math.ceil(validationFraction * set.count);
  const order = seededPermutation(set.count, seed);
  if (!options.stratify) {
    return { train: subset(set, order.subarray(validationCount)), validation: subset(set, order.subarray(0, validationCount)) };
  }
  const byClass = indicesByClass(set.labels, order);
  const quotas = proportionalQuotas(new Map([...byClass].map(([label, members]) => [label, members.length])), validationCount);
  const inValidation = new Uint8Array(set.count);
  for (const [label, members] of byClass) for (const index of members.slice(0, quotas.get(label))) inValidation[index] = 1;
  const validation: number[] = [];
  const train: number[] = [];
  for (const index of order) (inValidation[index] ? validation : train).push(index);
  return { train: subset(set, train), validation: subset(set, validation) };
}

/**
 * The first `limit` images, with each class keeping its share of the whole set (walking the set
 * in order and skipping images of classes that already have theirs). Returns the set itself
 * when the limit does not cut anything.
 */
export function firstImages(set: ImageSet, limit: number | undefined): ImageSet {
  if (limit === undefined || limit >= set.count) return set;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`An image limit must be a positive whole number, not ${limit}.`);
  const classSizes = new Map<number, number>();
  for (const label of set.labels) classSizes.set(label, (classSizes.get(label) ?? 0) + 1);
  const quotas = proportionalQuotas(classSizes, limit);
  const chosen: number[] = [];
  for (let index = 0; index < set.count && chosen.length < limit; index++) {
    const label = set.labels[index]!;
    const left = quotas.get(label)!;
    if (left > 0) {
      chosen.push(index);
      quotas.set(label, left - 1);
    }
  }
  return subset(set, chosen);
}
