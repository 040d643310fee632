using System.Numerics.Tensors;

namespace SSIS.Batch.Engine.Fingerprint;

/// <summary>
/// How two raw fingerprints line up: the share of equal bits (0..1) at the best offset, the offset in items
/// (positive: the first fingerprint's audio starts that many items later, e.g. it has silence prepended), and how
/// many items overlapped there.
/// </summary>
public readonly record struct Alignment(double Similarity, int OffsetItems, int OverlapItems)
{
    public double OffsetSeconds => OffsetItems * AudioFingerprint.ItemSeconds;
}

/// <summary>
/// Compares raw Chromaprint fingerprints by bit errors at the best alignment, in the spirit of AcoustID (which calls
/// two fingerprints the same recording from about 0.9 of equal bits). Pure functions.
/// </summary>
public static class FingerprintMatcher
{
    /// <summary>±120 items, about ±15 s.</summary>
    public const int DefaultMaxOffsetItems = 120;

    private const int BitsPerItem = 32;

    /// <summary>
    /// The best alignment of <paramref name="a"/> and <paramref name="b"/> within ±<paramref name="maxOffsetItems"/>,
    /// counting only offsets where at least half of the shorter fingerprint overlaps.
    /// </summary>
    public static Alignment Compare(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, int maxOffsetItems = DefaultMaxOffsetItems)
    {
        var minOverlap = Math.Max(1, Math.Min(a.Length, b.Length) / 2);
        var best = new Alignment(0, 0, 0);
        for (var offset = -maxOffsetItems; offset <= maxOffsetItems; offset++)
        {
            var aStart = Math.Max(0, offset);
            var bStart = Math.Max(0, -offset);
            var overlap = Math.Min(a.Length - aStart, b.Length - bStart);
            if (overlap < minOverlap) continue;
            var errors = TensorPrimitives.HammingBitDistance(a.Slice(aStart, overlap), b.Slice(bStart, overlap));
            var similarity = 1.0 - (double)errors / (overlap * BitsPerItem);
            if (similarity > best.Similarity) best = new Alignment(similarity, offset, overlap);
        }
        return best;
    }
}
