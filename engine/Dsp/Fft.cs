namespace SSIS.Batch.Engine.Dsp;

/// <summary>In-place radix-2 complex FFT of a fixed power-of-two size, with its twiddles and bit reversal precomputed.</summary>
public sealed class Fft
{
    private readonly int[] _reversed;
    private readonly float[] _cos;
    private readonly float[] _sin;

    public int Size { get; }

    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0) throw new ArgumentException("FFT size must be a power of two ≥ 2.", nameof(size));
        Size = size;
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        _reversed = new int[size];
        for (var i = 0; i < size; i++) _reversed[i] = (int)(ReverseBits((uint)i) >> (32 - bits));
        _cos = new float[size / 2];
        _sin = new float[size / 2];
        for (var k = 0; k < size / 2; k++)
        {
            _cos[k] = (float)Math.Cos(-2 * Math.PI * k / size);
            _sin[k] = (float)Math.Sin(-2 * Math.PI * k / size);
        }
    }

    /// <summary>Forward transform of (<paramref name="real"/>, <paramref name="imaginary"/>), in place.</summary>
    public void Forward(Span<float> real, Span<float> imaginary)
    {
        for (var i = 0; i < Size; i++)
        {
            var j = _reversed[i];
            if (j <= i) continue;
            (real[i], real[j]) = (real[j], real[i]);
            (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
        }
        for (var half = 1; half < Size; half <<= 1)
        {
            var step = Size / (half * 2);
            for (var start = 0; start < Size; start += half * 2)
            for (var k = 0; k < half; k++)
            {
                var c = _cos[k * step];
                var s = _sin[k * step];
                var a = start + k;
                var b = a + half;
                var tr = real[b] * c - imaginary[b] * s;
                var ti = real[b] * s + imaginary[b] * c;
                real[b] = real[a] - tr;
                imaginary[b] = imaginary[a] - ti;
                real[a] += tr;
                imaginary[a] += ti;
            }
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
