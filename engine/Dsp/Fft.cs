using System.Runtime.Intrinsics;

namespace SSIS.Batch.Engine.Dsp;

/// <summary>In-place radix-2 complex FFT of a fixed power-of-two size, with its twiddles and bit reversal precomputed.</summary>
public sealed class Fft
{
    private readonly int[] _swapPairs;
    private readonly float[] _stageCos;
    private readonly float[] _stageSin;
    private readonly float[] _splitCos;
    private readonly float[] _splitSin;

    public int Size { get; }

    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0) throw new ArgumentException("FFT size must be a power of two ≥ 2.", nameof(size));
        Size = size;
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        // Only the index pairs the bit reversal exchanges (i < reversed(i)), flattened: the transform's first pass walks
        // this list instead of testing every index.
        var pairs = new List<int>();
        for (var i = 0; i < size; i++)
        {
            var j = (int)(ReverseBits((uint)i) >> (32 - bits));
            if (j > i) pairs.AddRange([i, j]);
        }
        _swapPairs = [.. pairs];
        _stageCos = new float[size];
        _stageSin = new float[size];
        for (var half = 1; half < size; half <<= 1)
            for (var k = 0; k < half; k++)
            {
                _stageCos[half - 1 + k] = (float)Math.Cos(-Math.PI * k / half);
                _stageSin[half - 1 + k] = (float)Math.Sin(-Math.PI * k / half);
            }
        _splitCos = new float[size + 1];
        _splitSin = new float[size + 1];
        for (var k = 0; k <= size; k++)
        {
            _splitCos[k] = (float)Math.Cos(-Math.PI * k / size);
            _splitSin[k] = (float)Math.Sin(-Math.PI * k / size);
        }
    }

    /// <summary>Forward transform of (<paramref name="real"/>, <paramref name="imaginary"/>), in place.</summary>
    public unsafe void Forward(Span<float> real, Span<float> imaginary)
    {
        if (real.Length < Size || imaginary.Length < Size) throw new ArgumentException($"The transform needs {Size} values.");
        fixed (float* re = real, im = imaginary, stageCos = _stageCos, stageSin = _stageSin)
        fixed (int* pairs = _swapPairs)
        {
            for (var p = 0; p < _swapPairs.Length; p += 2)
            {
                var (i, j) = (pairs[p], pairs[p + 1]);
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
            var half = 1;
            if (Size >= 4)
            {
                // The first two stages as one radix-4 pass: their twiddles are 1 and −i, so it needs no multiplication.
                for (var start = 0; start < Size; start += 4)
                {
                    float r0 = re[start], r1 = re[start + 1], r2 = re[start + 2], r3 = re[start + 3];
                    float i0 = im[start], i1 = im[start + 1], i2 = im[start + 2], i3 = im[start + 3];
                    float ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
                    float cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
                    re[start] = ar + cr;
                    im[start] = ai + ci;
                    re[start + 2] = ar - cr;
                    im[start + 2] = ai - ci;
                    // (dr + i·di)·(−i) = di − i·dr
                    re[start + 1] = br + di;
                    im[start + 1] = bi - dr;
                    re[start + 3] = br - di;
                    im[start + 3] = bi + dr;
                }
                half = 4;
            }
            // Stage twiddles are stored contiguously: stage with half-size h starts at offset h − 1.
            for (; half < Size; half <<= 1)
            {
                var wc = stageCos + half - 1;
                var ws = stageSin + half - 1;
                for (var start = 0; start < Size; start += half * 2)
                {
                    var a = re + start;
                    var ai = im + start;
                    var b = a + half;
                    var bi = ai + half;
                    var k = 0;
                    if (Vector256.IsHardwareAccelerated)
                        for (; k + 8 <= half; k += 8)
                        {
                            var c = Vector256.Load(wc + k);
                            var sn = Vector256.Load(ws + k);
                            var br = Vector256.Load(b + k);
                            var bim = Vector256.Load(bi + k);
                            var ar = Vector256.Load(a + k);
                            var aim = Vector256.Load(ai + k);
                            var tr = br * c - bim * sn;
                            var ti = br * sn + bim * c;
                            (ar - tr).Store(b + k);
                            (aim - ti).Store(bi + k);
                            (ar + tr).Store(a + k);
                            (aim + ti).Store(ai + k);
                        }
                    if (Vector128.IsHardwareAccelerated)
                        for (; k + 4 <= half; k += 4)
                        {
                            var c = Vector128.Load(wc + k);
                            var sn = Vector128.Load(ws + k);
                            var br = Vector128.Load(b + k);
                            var bim = Vector128.Load(bi + k);
                            var ar = Vector128.Load(a + k);
                            var aim = Vector128.Load(ai + k);
                            var tr = br * c - bim * sn;
                            var ti = br * sn + bim * c;
                            (ar - tr).Store(b + k);
                            (aim - ti).Store(bi + k);
                            (ar + tr).Store(a + k);
                            (aim + ti).Store(ai + k);
                        }
                    for (; k < half; k++)
                    {
                        var tr = b[k] * wc[k] - bi[k] * ws[k];
                        var ti = b[k] * ws[k] + bi[k] * wc[k];
                        b[k] = a[k] - tr;
                        bi[k] = ai[k] - ti;
                        a[k] += tr;
                        ai[k] += ti;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Power spectrum |X[k]|² (k = 0 … Size/2) of a real signal of <c>2·Size</c> samples, through this Size-point complex
    /// transform: even samples as the real part, odd as the imaginary, then split (half the work of a full transform).
    /// <paramref name="real"/> and <paramref name="imaginary"/> are scratch of Size each.
    /// </summary>
    public unsafe void RealPowerSpectrum(ReadOnlySpan<float> signal, Span<float> real, Span<float> imaginary, Span<float> power)
    {
        var n = Size;
        if (signal.Length < 2 * n || real.Length < n || imaginary.Length < n || power.Length < n + 1)
            throw new ArgumentException($"The power spectrum needs {2 * n} samples, {n} scratch values each and {n + 1} outputs.");
        fixed (float* s = signal, re = real, im = imaginary)
        {
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // Sixteen samples → eight even (real part) and eight odd (imaginary part).
                var pairOrder = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
                for (; i + 8 <= n; i += 8)
                {
                    var low = Vector256.Shuffle(Vector256.Load(s + 2 * i), pairOrder);
                    var high = Vector256.Shuffle(Vector256.Load(s + 2 * i + 8), pairOrder);
                    Vector256.Create(low.GetLower(), high.GetLower()).Store(re + i);
                    Vector256.Create(low.GetUpper(), high.GetUpper()).Store(im + i);
                }
            }
            for (; i < n; i++)
            {
                re[i] = s[2 * i];
                im[i] = s[2 * i + 1];
            }
        }
        Forward(real, imaginary);
        fixed (float* re = real, im = imaginary, p = power, splitCos = _splitCos, splitSin = _splitSin)
        {
            // Z[k] = E[k] + i·O[k]; E and O from Z[k] and conj(Z[n−k]); X[k] = E[k] + W^k·O[k], W = e^(−iπ/n).
            // Bins 0 and n pair Z[0] with itself; bins 1 … n−1 pair k with n − k, eight at a time with the partner block reversed.
            p[0] = SplitPower(re[0], im[0], re[0], im[0], splitCos[0], splitSin[0]);
            p[n] = SplitPower(re[0], im[0], re[0], im[0], splitCos[n], splitSin[n]);
            var k = 1;
            if (Vector256.IsHardwareAccelerated)
            {
                var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
                var half = Vector256.Create(0.5f);
                for (; k + 8 <= n; k += 8)
                {
                    var ra = Vector256.Load(re + k);
                    var ia = Vector256.Load(im + k);
                    var rb = Vector256.Shuffle(Vector256.Load(re + n - k - 7), reverse);
                    var ib = Vector256.Shuffle(Vector256.Load(im + n - k - 7), reverse);
                    var er = half * (ra + rb);
                    var ei = half * (ia - ib);
                    var or = half * (ia + ib);
                    var oi = half * (rb - ra);
                    var wr = Vector256.Load(splitCos + k);
                    var wi = Vector256.Load(splitSin + k);
                    var xr = er + wr * or - wi * oi;
                    var xi = ei + wr * oi + wi * or;
                    (xr * xr + xi * xi).Store(p + k);
                }
            }
            for (; k < n; k++) p[k] = SplitPower(re[k], im[k], re[n - k], im[n - k], splitCos[k], splitSin[k]);
        }
    }

    private static float SplitPower(float ra, float ia, float rb, float ib, float wr, float wi)
    {
        var er = 0.5f * (ra + rb);
        var ei = 0.5f * (ia - ib);
        var or = 0.5f * (ia + ib);
        var oi = -0.5f * (ra - rb);
        var xr = er + wr * or - wi * oi;
        var xi = ei + wr * oi + wi * or;
        return xr * xr + xi * xi;
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
        v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
        v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
        v = ((v >> 8) & 0x00FF00FF) | ((v & 0x00FF00FF) << 8);
        return (v >> 16) | (v << 16);
    }
}
