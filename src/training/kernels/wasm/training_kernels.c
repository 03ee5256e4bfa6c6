// Backward-pass kernels for the tfjs wasm backend, in WebAssembly SIMD (128-bit), built with
// clang for wasm32 without Emscripten or a C library (scripts/build-kernels.mjs). The module
// imports the tfjs backend's own memory, so every pointer below is a tensor's offset on that
// heap: no tensor is copied in or out. It has no data segment (it would overwrite the heap) and
// its stack is a block the loader allocates from the backend (simd.ts).
//
// Layouts are tfjs's: NHWC activations, [filterHeight, filterWidth, inChannels, outChannels]
// filters, all float32.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

typedef float f32;
typedef v128_t f32x4;

INLINE f32x4 load4(const f32* p) { return wasm_v128_load(p); }
INLINE void store4(f32* p, f32x4 v) { wasm_v128_store(p, v); }
INLINE f32x4 splat(f32 v) { return wasm_f32x4_splat(v); }
INLINE f32x4 madd(f32x4 acc, f32x4 a, f32x4 b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }

static void zero(f32* p, int count) {
  int i = 0;
  for (; i + 4 <= count; i += 4) store4(p + i, wasm_f32x4_const_splat(0.0f));
  for (; i < count; i++) p[i] = 0.0f;
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropFilter: dW[i, j, c, k] = Σ_{n, oy, ox} X[n, oy·sh + i·dh − top, ox·sw + j·dw − left, c] · dY[n, oy, ox, k]
// (the gradient tfjs-backend-cpu's conv2DBackpropFilter computes). For each filter tap (i, j), a
// tile of CT input channels × 8 (or 4) output channels is held in registers while the pixels
// stream past; each image's partial sums are added to dW separately, so a sum runs over one
// image's pixels (900 for the lesson's first layer) rather than the whole batch's, which keeps
// float32 rounding near the reference's.

typedef struct {
  const f32* x;
  const f32* dy;
  f32* dw;
  int inH, inW, cin, outH, outW, cout;
  int oyFrom, oyTo, oxFrom, oxTo;  // output rows and columns whose input pixel for this tap is inside
  int iyBase, ixBase;              // input row/column of output (0, 0) for this tap
  int sh, sw;
} TapGeometry;

// KT = 8 or 4 output channels, CT = 1..4 input channels, at (c0, k0), over image n.
#define FILTER_TILE(CT, KT)                                                                       \
  static void filter_tile_##CT##_##KT(const TapGeometry* g, int n, int c0, int k0, f32* dwTap) { \
    f32x4 a0[CT], a1[CT];                                                                      \
    for (int c = 0; c < CT; c++) a0[c] = a1[c] = wasm_f32x4_const_splat(0.0f);                  \
    for (int oy = g->oyFrom; oy < g->oyTo; oy++) {                                               \
      const int iy = g->iyBase + oy * g->sh;                                                     \
      const f32* xRow = g->x + ((n * g->inH + iy) * g->inW) * g->cin + c0;                       \
      const f32* dyRow = g->dy + ((n * g->outH + oy) * g->outW) * g->cout + k0;                  \
      for (int ox = g->oxFrom; ox < g->oxTo; ox++) {                                             \
        const f32* xp = xRow + (g->ixBase + ox * g->sw) * g->cin;                                \
        const f32* dp = dyRow + ox * g->cout;                                                    \
        const f32x4 d0 = load4(dp);                                                              \
        const f32x4 d1 = KT == 8 ? load4(dp + 4) : d0;                                           \
        for (int c = 0; c < CT; c++) {                                                           \
          const f32x4 s = splat(xp[c]);                                                          \
          a0[c] = madd(a0[c], s, d0);                                                            \
          if (KT == 8) a1[c] = madd(a1[c], s, d1);                                               \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    for (int c = 0; c < CT; c++) {                                                               \
      f32* out = dwTap + (c0 + c) * g->cout + k0;                                                \
      store4(out, wasm_f32x4_add(load4(out), a0[c]));                                            \
      if (KT == 8) store4(out + 4, wasm_f32x4_add(load4(out + 4), a1[c]));                       \
    }                                                                                            \
  }

FILTER_TILE(1, 8)
FILTER_TILE(2, 8)
FILTER_TILE(3, 8)
FILTER_TILE(4, 8)
FILTER_TILE(1, 4)
FILTER_TILE(2, 4)
FILTER_TILE(3, 4)
FILTER_TILE(4, 4)

typedef void (*FilterTile)(const TapGeometry*, int, int, int, f32*);
static FilterTile tile_for(int ct, int kt) {
  if (kt == 8) return ct == 1 ? filter_tile_1_8 : ct == 2 ? filter_tile_2_8 : ct == 3 ? filter_tile_3_8 : filter_tile_4_8;
  return ct == 1 ? filter_tile_1_4 : ct == 2 ? filter_tile_2_4 : ct == 3 ? filter_tile_3_4 : filter_tile_4_4;
}

// Output channels past the last multiple of 4, one at a time.
static void filter_tail(const TapGeometry* g, int n, int c, int k, f32* dwTap) {
  f32 acc = 0.0f;
  for (int oy = g->oyFrom; oy < g->oyTo; oy++) {
    const int iy = g->iyBase + oy * g->sh;
    for (int ox = g->oxFrom; ox < g->oxTo; ox++) {
      const int ix = g->ixBase + ox * g->sw;
      acc += g->x[((n * g->inH + iy) * g->inW + ix) * g->cin + c] * g->dy[((n * g->outH + oy) * g->outW + ox) * g->cout + k];
    }
  }
  dwTap[c * g->cout + k] += acc;
}

// First output index o in [0, outSize) with base + o·stride ≥ 0, and one past the last with it < inSize.
static int first_inside(int base, int stride) { return base >= 0 ? 0 : (-base + stride - 1) / stride; }
static int end_inside(int base, int stride, int inSize, int outSize) {
  if (base >= inSize) return 0;
  const int end = (inSize - 1 - base) / stride + 1;
  return end < outSize ? end : outSize;
}

EXPORT(conv2d_backprop_filter)
void conv2d_backprop_filter(const f32* x, const f32* dy, f32* dw, int batch, int inH, int inW, int cin, int outH, int outW, int cout, int fh, int fw, int sh, int sw,
                            int dh, int dwl, int top, int left) {
  zero(dw, fh * fw * cin * cout);
  TapGeometry g = {x, dy, dw, inH, inW, cin, outH, outW, cout, 0, 0, 0, 0, 0, 0, sh, sw};
  for (int i = 0; i < fh; i++) {
    g.iyBase = i * dh - top;
    g.oyFrom = first_inside(g.iyBase, sh);
    g.oyTo = end_inside(g.iyBase, sh, inH, outH);
    for (int j = 0; j < fw; j++) {
      g.ixBase = j * dwl - left;
      g.oxFrom = first_inside(g.ixBase, sw);
      g.oxTo = end_inside(g.ixBase, sw, inW, outW);
      if (g.oyFrom >= g.oyTo || g.oxFrom >= g.oxTo) continue;
      f32* dwTap = dw + (i * fw + j) * cin * cout;
      for (int n = 0; n < batch; n++) {
        for (int c0 = 0; c0 < cin; c0 += 4) {
          const int ct = cin - c0 < 4 ? cin - c0 : 4;
          int k0 = 0;
          for (; k0 + 8 <= cout; k0 += 8) tile_for(ct, 8)(&g, n, c0, k0, dwTap);
          for (; k0 + 4 <= cout; k0 += 4) tile_for(ct, 4)(&g, n, c0, k0, dwTap);
          for (; k0 < cout; k0++)
            for (int c = c0; c < c0 + ct; c++) filter_tail(&g, n, c, k0, dwTap);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropInput: dX[n, iy, ix, c] = Σ_{i, j, k} dY[n, oy, ox, k] · W[i, j, c, k] over the taps
// (i, j) whose output pixel oy = (iy + top − i·dh) / sh, ox = (ix + left − j·dw) / sw is a whole
// number inside dY (the gradient tfjs-backend-cpu's conv2DBackpropInput computes). Each dX pixel
// is gathered once, so nothing is zeroed first and no padded zeros are multiplied (a transposed
// convolution through Conv2D pads dY and multiplies those zeros too). The input channels are the
// SIMD lanes: `wt` is the filter rearranged to [fh, fw, cout, cin] by the first pass below, into
// a scratch tensor the caller allocates, so that for each (tap, k) one splat of dY meets
// contiguous filter rows. Two neighbouring pixels share each filter load where both see the tap.

// CV = 1..4 vectors (4..16 input channels) at c0, for one pixel or two (B adds the second).
#define INPUT_TILE(CV)                                                                                          \
  INLINE void input_one_##CV(f32x4* acc, const f32* dyp, const f32* wp, int cout, int cin) {                    \
    for (int k = 0; k < cout; k++, wp += cin) {                                                                 \
      const f32x4 s = splat(dyp[k]);                                                                            \
      for (int v = 0; v < CV; v++) acc[v] = madd(acc[v], s, load4(wp + 4 * v));                                 \
    }                                                                                                           \
  }                                                                                                             \
  INLINE void input_two_##CV(f32x4* a, f32x4* b, const f32* dya, const f32* dyb, const f32* wp, int cout, int cin) { \
    for (int k = 0; k < cout; k++, wp += cin) {                                                                 \
      const f32x4 sa = splat(dya[k]), sb = splat(dyb[k]);                                                       \
      for (int v = 0; v < CV; v++) {                                                                            \
        const f32x4 w = load4(wp + 4 * v);                                                                      \
        a[v] = madd(a[v], sa, w);                                                                               \
        b[v] = madd(b[v], sb, w);                                                                               \
      }                                                                                                         \
    }                                                                                                           \
  }

INPUT_TILE(1)
INPUT_TILE(2)
INPUT_TILE(3)
INPUT_TILE(4)

typedef struct {
  const f32* dy;
  const f32* wt;
  f32* dx;
  int inH, inW, cin, outH, outW, cout, fh, fw, sh, sw, dh, dwl, top, left;
} InputGeometry;

// The output index for input index `at` and tap offset `offset` (tap·dilation − pad), or −1.
INLINE int source_index(int at, int offset, int stride, int size) {
  const int t = at - offset;
  if (t < 0 || t % stride != 0) return -1;
  const int o = t / stride;
  return o < size ? o : -1;
}

// dX at (n, iy, ix) and, when `pair`, (n, iy, ix + 1), for CV vectors of input channels at c0.
#define INPUT_PIXELS(CV)                                                                                         \
  static void input_pixels_##CV(const InputGeometry* g, int n, int iy, int ix, int pair, int c0) {              \
    f32x4 a[CV], b[CV];                                                                                         \
    for (int v = 0; v < CV; v++) a[v] = b[v] = wasm_f32x4_const_splat(0.0f);                                    \
    for (int i = 0; i < g->fh; i++) {                                                                           \
      const int oy = source_index(iy, i * g->dh - g->top, g->sh, g->outH);                                      \
      if (oy < 0) continue;                                                                                     \
      const f32* dyRow = g->dy + (n * g->outH + oy) * g->outW * g->cout;                                        \
      for (int j = 0; j < g->fw; j++) {                                                                         \
        const int offset = j * g->dwl - g->left;                                                                \
        const int oxa = source_index(ix, offset, g->sw, g->outW);                                               \
        const int oxb = pair ? source_index(ix + 1, offset, g->sw, g->outW) : -1;                               \
        const f32* wp = g->wt + (i * g->fw + j) * g->cout * g->cin + c0;                                        \
        if (oxa >= 0 && oxb >= 0)                                                                               \
          input_two_##CV(a, b, dyRow + oxa * g->cout, dyRow + oxb * g->cout, wp, g->cout, g->cin);              \
        else if (oxa >= 0)                                                                                      \
          input_one_##CV(a, dyRow + oxa * g->cout, wp, g->cout, g->cin);                                        \
        else if (oxb >= 0)                                                                                      \
          input_one_##CV(b, dyRow + oxb * g->cout, wp, g->cout, g->cin);                                        \
      }                                                                                                         \
    }                                                                                                           \
    f32* out = g->dx + ((n * g->inH + iy) * g->inW + ix) * g->cin + c0;                                         \
    for (int v = 0; v < CV; v++) store4(out + 4 * v, a[v]);                                                     \
    if (pair)                                                                                                   \
      for (int v = 0; v < CV; v++) store4(out + g->cin + 4 * v, b[v]);                                          \
  }

INPUT_PIXELS(1)
INPUT_PIXELS(2)
INPUT_PIXELS(3)
INPUT_PIXELS(4)

// Input channels past the last multiple of 4, one at a time.
static void input_tail(const InputGeometry* g, int n, int iy, int ix, int c) {
  f32 acc = 0.0f;
  for (int i = 0; i < g->fh; i++) {
    const int oy = source_index(iy, i * g->dh - g->top, g->sh, g->outH);
    if (oy < 0) continue;
    for (int j = 0; j < g->fw; j++) {
      const int ox = source_index(ix, j * g->dwl - g->left, g->sw, g->outW);
      if (ox < 0) continue;
      const f32* dyp = g->dy + ((n * g->outH + oy) * g->outW + ox) * g->cout;
      const f32* wp = g->wt + (i * g->fw + j) * g->cout * g->cin + c;
      for (int k = 0; k < g->cout; k++) acc += dyp[k] * wp[k * g->cin];
    }
  }
  g->dx[((n * g->inH + iy) * g->inW + ix) * g->cin + c] = acc;
}

EXPORT(conv2d_backprop_input)
void conv2d_backprop_input(const f32* dy, const f32* w, f32* wt, f32* dx, int batch, int inH, int inW, int cin, int outH, int outW, int cout, int fh, int fw, int sh,
                           int sw, int dh, int dwl, int top, int left) {
  // [fh, fw, cin, cout] → [fh, fw, cout, cin]
  for (int tap = 0; tap < fh * fw; tap++)
    for (int c = 0; c < cin; c++)
      for (int k = 0; k < cout; k++) wt[(tap * cout + k) * cin + c] = w[(tap * cin + c) * cout + k];
  const InputGeometry g = {dy, wt, dx, inH, inW, cin, outH, outW, cout, fh, fw, sh, sw, dh, dwl, top, left};
  const int vectorChannels = cin & ~3;
  for (int n = 0; n < batch; n++) {
    for (int iy = 0; iy < inH; iy++) {
      for (int ix = 0; ix < inW; ix += 2) {
        const int pair = ix + 1 < inW;
        for (int c0 = 0; c0 < vectorChannels; c0 += 16) {
          const int cv = (vectorChannels - c0) / 4 < 4 ? (vectorChannels - c0) / 4 : 4;
          if (cv == 4) input_pixels_4(&g, n, iy, ix, pair, c0);
          else if (cv == 3) input_pixels_3(&g, n, iy, ix, pair, c0);
          else if (cv == 2) input_pixels_2(&g, n, iy, ix, pair, c0);
          else input_pixels_1(&g, n, iy, ix, pair, c0);
        }
        for (int c = vectorChannels; c < cin; c++) {
          input_tail(&g, n, iy, ix, c);
          if (pair) input_tail(&g, n, iy, ix + 1, c);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// MaxPoolGrad for 2×2 windows with stride 2 and no padding (the lesson's MaxPooling2D). Each
// window sends dY to its first maximum in row-major order (top-left, top-right, bottom-left,
// bottom-right), as the JS kernel in pooling.ts and the cpu backend do: a candidate replaces the
// best so far only when strictly greater, so a window of NaNs sends nothing. Rows and columns
// that no window covers (odd sizes) get 0. Windows do not overlap, so each position of dX is
// written once.

EXPORT(max_pool_grad_2x2)
void max_pool_grad_2x2(const f32* x, const f32* dy, f32* dx, int batch, int inH, int inW, int channels, int outH, int outW) {
  const int down = inW * channels;
  // Every position a window covers is written below; only the rows and columns past the last
  // window are zeroed here, so dX is written once rather than zeroed and then written.
  for (int b = 0; b < batch; b++) {
    for (int y = 0; y < inH; y++) {
      f32* row = dx + (b * inH + y) * down;
      if (y >= outH * 2) zero(row, down);
      else if (outW * 2 < inW) zero(row + outW * 2 * channels, (inW - outW * 2) * channels);
    }
  }
  const f32x4 none = wasm_f32x4_const_splat(-__builtin_inff());
  for (int b = 0; b < batch; b++) {
    for (int oy = 0; oy < outH; oy++) {
      for (int ox = 0; ox < outW; ox++) {
        const int topLeft = ((b * inH + oy * 2) * inW + ox * 2) * channels;
        const f32* g = dy + ((b * outH + oy) * outW + ox) * channels;
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
          const f32x4 v0 = load4(x + topLeft + c), v1 = load4(x + topLeft + channels + c);
          const f32x4 v2 = load4(x + topLeft + down + c), v3 = load4(x + topLeft + down + channels + c);
          // wins_k: lanes where candidate k is the best so far; a later winner clears the earlier ones.
          f32x4 best = none;
          v128_t w0 = wasm_f32x4_gt(v0, best);
          best = wasm_v128_bitselect(v0, best, w0);
          const v128_t w1 = wasm_f32x4_gt(v1, best);
          best = wasm_v128_bitselect(v1, best, w1);
          const v128_t w2 = wasm_f32x4_gt(v2, best);
          best = wasm_v128_bitselect(v2, best, w2);
          const v128_t w3 = wasm_f32x4_gt(v3, best);
          const v128_t only2 = wasm_v128_andnot(w2, w3);
          const v128_t only1 = wasm_v128_andnot(wasm_v128_andnot(w1, w2), w3);
          w0 = wasm_v128_andnot(wasm_v128_andnot(wasm_v128_andnot(w0, w1), w2), w3);
          const f32x4 grad = load4(g + c);
          store4(dx + topLeft + c, wasm_v128_and(grad, w0));
          store4(dx + topLeft + channels + c, wasm_v128_and(grad, only1));
          store4(dx + topLeft + down + c, wasm_v128_and(grad, only2));
          store4(dx + topLeft + down + channels + c, wasm_v128_and(grad, w3));
        }
        for (; c < channels; c++) {
          const int at[4] = {topLeft + c, topLeft + channels + c, topLeft + down + c, topLeft + down + channels + c};
          f32 best = -__builtin_inff();
          int winner = -1;
          for (int k = 0; k < 4; k++) {
            if (x[at[k]] > best) {
              best = x[at[k]];
              winner = at[k];
            }
          }
          for (int k = 0; k < 4; k++) dx[at[k]] = 0.0f;
          if (winner >= 0) dx[winner] = g[c];
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sum over the leading axis of a [rows, columns] matrix: the bias gradient of a Conv2D or Dense
// layer. Blocks of 64 rows are summed in float32 registers, and the block sums are added up in
// float64, so the rounding error barely grows with the rows (the lesson's first layer has 28,800)
// and the result is the float32 nearest a much more exact sum than a running float32 total.

#define SUM_BLOCK 64

typedef v128_t f64x2;
INLINE f64x2 low_to_f64(f32x4 v) { return wasm_f64x2_promote_low_f32x4(v); }
INLINE f64x2 high_to_f64(f32x4 v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }
INLINE f32x4 to_f32(f64x2 low, f64x2 high) {
  const f32x4 l = wasm_f32x4_demote_f64x2_zero(low), h = wasm_f32x4_demote_f64x2_zero(high);
  return wasm_i32x4_shuffle(l, h, 0, 1, 4, 5);
}

// Four columns at c: block sums in float32, totals in float64.
INLINE void sum_four_columns(const f32* x, f32* out, int rows, int columns, int c) {
  f64x2 low = wasm_f64x2_const_splat(0.0), high = low;
  for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
    const int r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
    f32x4 b = wasm_f32x4_const_splat(0.0f);
    for (int r = r0; r < r1; r++) b = wasm_f32x4_add(b, load4(x + r * columns + c));
    low = wasm_f64x2_add(low, low_to_f64(b));
    high = wasm_f64x2_add(high, high_to_f64(b));
  }
  store4(out + c, to_f32(low, high));
}

EXPORT(sum_leading)
void sum_leading(const f32* x, f32* out, int rows, int columns) {
  int c = 0;
  // Sixteen columns at a time read whole 64-byte lines of each row.
  for (; c + 16 <= columns; c += 16) {
    f64x2 t[8];
    for (int k = 0; k < 8; k++) t[k] = wasm_f64x2_const_splat(0.0);
    for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const int r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      f32x4 b0 = wasm_f32x4_const_splat(0.0f), b1 = b0, b2 = b0, b3 = b0;
      for (int r = r0; r < r1; r++) {
        const f32* p = x + r * columns + c;
        b0 = wasm_f32x4_add(b0, load4(p));
        b1 = wasm_f32x4_add(b1, load4(p + 4));
        b2 = wasm_f32x4_add(b2, load4(p + 8));
        b3 = wasm_f32x4_add(b3, load4(p + 12));
      }
      t[0] = wasm_f64x2_add(t[0], low_to_f64(b0));
      t[1] = wasm_f64x2_add(t[1], high_to_f64(b0));
      t[2] = wasm_f64x2_add(t[2], low_to_f64(b1));
      t[3] = wasm_f64x2_add(t[3], high_to_f64(b1));
      t[4] = wasm_f64x2_add(t[4], low_to_f64(b2));
      t[5] = wasm_f64x2_add(t[5], high_to_f64(b2));
      t[6] = wasm_f64x2_add(t[6], low_to_f64(b3));
      t[7] = wasm_f64x2_add(t[7], high_to_f64(b3));
    }
    for (int k = 0; k < 4; k++) store4(out + c + 4 * k, to_f32(t[2 * k], t[2 * k + 1]));
  }
  for (; c + 4 <= columns; c += 4) sum_four_columns(x, out, rows, columns, c);
  for (; c < columns; c++) {
    double t = 0.0;
    for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const int r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      f32 b = 0.0f;
      for (int r = r0; r < r1; r++) b += x[r * columns + c];
      t += b;
    }
    out[c] = (f32)t;
  }
}

// ---------------------------------------------------------------------------------------------
// One Adam step for one variable in one pass, writing the new value and moments to new tensors:
// the arithmetic of tfjs-core's AdamOptimizer.applyGradients (adam_optimizer.ts), in its order,
// where tfjs runs about a dozen elementwise kernels, each a pass over memory:
//   m' = m·β1 + g·(1 − β1)          v' = v·β2 + g²·(1 − β2)
//   x' = (m' / c1) / (√(v' / c2) + ε) · (−lr) + x        with c1 = 1 − β1^t, c2 = 1 − β2^t.

EXPORT(adam_update)
// 1 − β1 and 1 − β2 come from the caller, rounded from float64 as tfjs rounds its scalars.
void adam_update(const f32* x, const f32* m, const f32* v, const f32* g, f32* xOut, f32* mOut, f32* vOut, int count, f32 beta1, f32 beta2, f32 oneMinusBeta1,
                 f32 oneMinusBeta2, f32 c1, f32 c2, f32 epsilon, f32 learningRate) {
  const f32x4 b1 = splat(beta1), b2 = splat(beta2), ob1 = splat(oneMinusBeta1), ob2 = splat(oneMinusBeta2);
  const f32x4 vc1 = splat(c1), vc2 = splat(c2), eps = splat(epsilon), step = splat(-learningRate);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const f32x4 gi = load4(g + i);
    const f32x4 mi = wasm_f32x4_add(wasm_f32x4_mul(load4(m + i), b1), wasm_f32x4_mul(gi, ob1));
    const f32x4 vi = wasm_f32x4_add(wasm_f32x4_mul(load4(v + i), b2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), ob2));
    const f32x4 mHat = wasm_f32x4_div(mi, vc1);
    const f32x4 vHat = wasm_f32x4_div(vi, vc2);
    const f32x4 update = wasm_f32x4_mul(wasm_f32x4_div(mHat, wasm_f32x4_add(wasm_f32x4_sqrt(vHat), eps)), step);
    store4(xOut + i, wasm_f32x4_add(update, load4(x + i)));
    store4(mOut + i, mi);
    store4(vOut + i, vi);
  }
  for (; i < count; i++) {
    const f32 gi = g[i];
    const f32 mi = m[i] * beta1 + gi * oneMinusBeta1;
    const f32 vi = v[i] * beta2 + (gi * gi) * oneMinusBeta2;
    xOut[i] = ((mi / c1) / (__builtin_sqrtf(vi / c2) + epsilon)) * -learningRate + x[i];
    mOut[i] = mi;
    vOut[i] = vi;
  }
}

// ---------------------------------------------------------------------------------------------
// A [rows, columns] matrix plus a [columns] vector added to every row: a Conv2D or Dense layer's
// bias (tfjs-layers adds it as a broadcasting Add, which the backend runs as a general
// n-dimensional loop). One float32 add per element, as Add computes it.

EXPORT(add_row_vector)
void add_row_vector(const f32* x, const f32* b, f32* out, int rows, int columns) {
  for (int r = 0; r < rows; r++) {
    const f32* xr = x + r * columns;
    f32* o = out + r * columns;
    int c = 0;
    for (; c + 4 <= columns; c += 4) store4(o + c, wasm_f32x4_add(load4(xr + c), load4(b + c)));
    for (; c < columns; c++) o[c] = xr[c] + b[c];
  }
}

// ---------------------------------------------------------------------------------------------
// Matrix products C[M, N] = A·B for BatchMatMul (the Dense layers' forward pass and both
// gradients), `batch` of them one after another. The backend runs XNNPACK only for A·B and a
// plain loop with a transposed operand (composed, a Transpose first). Here:
//   - B not transposed (A·B and Aᵀ·B): a tile of 4 rows × 8 columns of C in registers; for each k,
//     four splats of A meet two vectors of B's row k. A is read through strides, so Aᵀ costs nothing.
//   - B transposed (A·Bᵀ): rows of A and of B are both contiguous in k, so a tile of 2 × 4 dot
//     products is summed in 4 lanes each and the lanes are added at the end.
// Each C entry is one float32 sum over k (in lanes for A·Bᵀ), as a plain product computes it.

// A(m, k) = a[m·am + k·ak]; B(k, n) = b[k·bk + n] (row-major B).
static void matmul_b_rows(const f32* a, const f32* b, f32* c, int M, int N, int K, int am, int ak) {
  int m0 = 0;
  for (; m0 + 4 <= M; m0 += 4) {
    int n0 = 0;
    for (; n0 + 8 <= N; n0 += 8) {
      f32x4 r0a = wasm_f32x4_const_splat(0.0f), r0b = r0a, r1a = r0a, r1b = r0a, r2a = r0a, r2b = r0a, r3a = r0a, r3b = r0a;
      const f32* ap = a + m0 * am;
      const f32* bp = b + n0;
      for (int k = 0; k < K; k++, ap += ak, bp += N) {
        const f32x4 b0 = load4(bp), b1 = load4(bp + 4);
        f32x4 s = splat(ap[0]);
        r0a = madd(r0a, s, b0), r0b = madd(r0b, s, b1);
        s = splat(ap[am]);
        r1a = madd(r1a, s, b0), r1b = madd(r1b, s, b1);
        s = splat(ap[2 * am]);
        r2a = madd(r2a, s, b0), r2b = madd(r2b, s, b1);
        s = splat(ap[3 * am]);
        r3a = madd(r3a, s, b0), r3b = madd(r3b, s, b1);
      }
      f32* cp = c + m0 * N + n0;
      store4(cp, r0a), store4(cp + 4, r0b);
      store4(cp + N, r1a), store4(cp + N + 4, r1b);
      store4(cp + 2 * N, r2a), store4(cp + 2 * N + 4, r2b);
      store4(cp + 3 * N, r3a), store4(cp + 3 * N + 4, r3b);
    }
    for (; n0 + 4 <= N; n0 += 4) {
      f32x4 r0 = wasm_f32x4_const_splat(0.0f), r1 = r0, r2 = r0, r3 = r0;
      const f32* ap = a + m0 * am;
      const f32* bp = b + n0;
      for (int k = 0; k < K; k++, ap += ak, bp += N) {
        const f32x4 b0 = load4(bp);
        r0 = madd(r0, splat(ap[0]), b0);
        r1 = madd(r1, splat(ap[am]), b0);
        r2 = madd(r2, splat(ap[2 * am]), b0);
        r3 = madd(r3, splat(ap[3 * am]), b0);
      }
      f32* cp = c + m0 * N + n0;
      store4(cp, r0), store4(cp + N, r1), store4(cp + 2 * N, r2), store4(cp + 3 * N, r3);
    }
    for (; n0 < N; n0++) {
      for (int r = 0; r < 4; r++) {
        f32 acc = 0.0f;
        for (int k = 0; k < K; k++) acc += a[(m0 + r) * am + k * ak] * b[k * N + n0];
        c[(m0 + r) * N + n0] = acc;
      }
    }
  }
  for (; m0 < M; m0++) {
    int n0 = 0;
    for (; n0 + 4 <= N; n0 += 4) {
      f32x4 r0 = wasm_f32x4_const_splat(0.0f);
      for (int k = 0; k < K; k++) r0 = madd(r0, splat(a[m0 * am + k * ak]), load4(b + k * N + n0));
      store4(c + m0 * N + n0, r0);
    }
    for (; n0 < N; n0++) {
      f32 acc = 0.0f;
      for (int k = 0; k < K; k++) acc += a[m0 * am + k * ak] * b[k * N + n0];
      c[m0 * N + n0] = acc;
    }
  }
}

INLINE f32 lane_sum(f32x4 v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) + (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

// One dot product of K entries: 4 lanes, then the lanes, then the k past the last multiple of 4.
INLINE f32 dot(const f32* x, const f32* y, int K) {
  f32x4 acc = wasm_f32x4_const_splat(0.0f);
  int k = 0;
  for (; k + 4 <= K; k += 4) acc = madd(acc, load4(x + k), load4(y + k));
  f32 sum = lane_sum(acc);
  for (; k < K; k++) sum += x[k] * y[k];
  return sum;
}

// A[M, K] (row-major) times Bᵀ with B[N, K] (row-major).
static void matmul_b_transposed(const f32* a, const f32* b, f32* c, int M, int N, int K) {
  const int K4 = K & ~3;
  int m0 = 0;
  for (; m0 + 2 <= M; m0 += 2) {
    int n0 = 0;
    for (; n0 + 4 <= N; n0 += 4) {
      const f32* a0 = a + m0 * K;
      const f32* a1 = a0 + K;
      const f32* b0 = b + n0 * K;
      const f32 *b1 = b0 + K, *b2 = b1 + K, *b3 = b2 + K;
      f32x4 s00 = wasm_f32x4_const_splat(0.0f), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (int k = 0; k < K4; k += 4) {
        const f32x4 x0 = load4(a0 + k), x1 = load4(a1 + k);
        const f32x4 y0 = load4(b0 + k), y1 = load4(b1 + k), y2 = load4(b2 + k), y3 = load4(b3 + k);
        s00 = madd(s00, x0, y0), s01 = madd(s01, x0, y1), s02 = madd(s02, x0, y2), s03 = madd(s03, x0, y3);
        s10 = madd(s10, x1, y0), s11 = madd(s11, x1, y1), s12 = madd(s12, x1, y2), s13 = madd(s13, x1, y3);
      }
      f32 out[8] = {lane_sum(s00), lane_sum(s01), lane_sum(s02), lane_sum(s03), lane_sum(s10), lane_sum(s11), lane_sum(s12), lane_sum(s13)};
      for (int k = K4; k < K; k++) {
        for (int j = 0; j < 4; j++) {
          out[j] += a0[k] * b0[j * K + k];
          out[4 + j] += a1[k] * b0[j * K + k];
        }
      }
      for (int j = 0; j < 4; j++) c[m0 * N + n0 + j] = out[j], c[(m0 + 1) * N + n0 + j] = out[4 + j];
    }
    for (; n0 < N; n0++) {
      c[m0 * N + n0] = dot(a + m0 * K, b + n0 * K, K);
      c[(m0 + 1) * N + n0] = dot(a + (m0 + 1) * K, b + n0 * K, K);
    }
  }
  for (; m0 < M; m0++)
    for (int n0 = 0; n0 < N; n0++) c[m0 * N + n0] = dot(a + m0 * K, b + n0 * K, K);
}

EXPORT(matmul)
// `a` is [batch, M, K] or, with transposeA, [batch, K, M]; `b` is [batch, K, N] or, with
// transposeB, [batch, N, K]; `c` is [batch, M, N]. Not both transposed (the caller handles that).
void matmul(const f32* a, const f32* b, f32* c, int batch, int M, int N, int K, int transposeA, int transposeB) {
  for (int i = 0; i < batch; i++, a += M * K, b += K * N, c += M * N) {
    if (transposeB) matmul_b_transposed(a, b, c, M, N, K);
    else if (transposeA) matmul_b_rows(a, b, c, M, N, K, 1, M);
    else matmul_b_rows(a, b, c, M, N, K, K, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// The ReLU gradient dX = dY · step(X) in one pass, where tfjs-core's gradient runs Step, Cast and
// Multiply: step(x) is 1 for x > 0, 0 otherwise and NaN for NaN (tfjs-backend-cpu's Step), and
// the product is a float32 multiply, so ∞ · 0 is NaN as there.

EXPORT(relu_grad)
void relu_grad(const f32* dy, const f32* x, f32* dx, int count) {
  const f32x4 one = wasm_f32x4_const_splat(1.0f), zero = wasm_f32x4_const_splat(0.0f);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const f32x4 xi = load4(x + i);
    // All-ones lanes (a NaN) where x is NaN, 1 where x > 0, else 0.
    const f32x4 mask = wasm_v128_or(wasm_v128_and(wasm_f32x4_gt(xi, zero), one), wasm_f32x4_ne(xi, xi));
    store4(dx + i, wasm_f32x4_mul(load4(dy + i), mask));
  }
  for (; i < count; i++) {
    const f32 xi = x[i];
    dx[i] = dy[i] * (xi != xi ? xi : xi > 0.0f ? 1.0f : 0.0f);
  }
}
