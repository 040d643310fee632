using System.Runtime.Intrinsics;

namespace SSIS.Batch.Engine.Dsp;

/// <summary>In-place radix-2 complex FFT of a fixed power-of-two size, with its twiddles and bit reversal precomputed.</summary>
public sealed class Fft
{
    private readonly int[] _reversed;
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
        _reversed = new int[size];
        for (var i = 0; i < size; i++) _reversed[i] = (int)(ReverseBits((uint)i) >> (32 - bits));
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
        for (var i = 0; i < Size; i++)
        {
            var j = _reversed[i];
            if (j <= i) continue;
            (real[i], real[j]) = (real[j], real[i]);
            (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
        }
        fixed (float* re = real, im = imaginary, stageCos = _stageCos, stageSin = _stageSin)
        {
            // Stage twiddles are stored contiguously: stage with half-size h starts at offset h − 1.
            for (var half = 1; half < Size; half <<= 1)
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
    public void RealPowerSpectrum(ReadOnlySpan<float> signal, Span<float> real, Span<float> imaginary, Span<float> power)
    {
        var n = Size;
        for (var i = 0; i < n; i++)
        {
            real[i] = signal[2 * i];
            imaginary[i] = signal[2 * i + 1];
        }
        Forward(real, imaginary);
        for (var k = 0; k <= n; k++)
        {
            var a = k == n ? 0 : k;
            var b = k == 0 ? 0 : n - k;
            // Z[k] = E[k] + i·O[k]; E and O from Z[k] and conj(Z[n−k]); X[k] = E[k] + W^k·O[k], W = e^(−iπ/n).
            var er = 0.5f * (real[a] + real[b]);
            var ei = 0.5f * (imaginary[a] - imaginary[b]);
            var or = 0.5f * (imaginary[a] + imaginary[b]);
            var oi = -0.5f * (real[a] - real[b]);
            var (wr, wi) = (_splitCos[k], _splitSin[k]);
            var xr = er + wr * or - wi * oi;
            var xi = ei + wr * oi + wi * or;
            power[k] = xr * xr + xi * xi;
        }
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
