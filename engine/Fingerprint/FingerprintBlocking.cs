using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Fingerprint;

/// <summary>
/// Finds the pairs worth comparing exactly without comparing all pairs: an inverted index over a content-defined
/// sample of each fingerprint's items (the same items are sampled in every copy, whatever its offset). Copies share
/// many exact items; unrelated tracks share almost none.
/// </summary>
public static class FingerprintBlocking
{
    /// <summary>One item in <c>2^KeySampleShift</c> becomes a key.</summary>
    private const int KeySampleShift = 3;

    /// <summary>Keys shared by more fingerprints than this (silence, DC) say nothing and are skipped.</summary>
    public const int MaxPostingLength = 64;

    /// <summary>
    /// Pairs (i &lt; j) of fingerprints sharing at least <paramref name="minSharedKeys"/> sampled items; with
    /// <paramref name="everyItem"/>, every item is a key (for fingerprints too short to leave enough sampled ones).
    /// </summary>
    public static IReadOnlyList<(int A, int B)> CandidatePairs(IReadOnlyList<uint[]> fingerprints, int minSharedKeys = 2, bool everyItem = false)
    {
        var postings = new Dictionary<uint, List<int>>();
        var keys = new HashSet<uint>();
        for (var i = 0; i < fingerprints.Count; i++)
        {
            keys.Clear();
            foreach (var item in fingerprints[i])
                if (everyItem || IsKey(item)) keys.Add(item);
            foreach (var key in keys)
            {
                if (!postings.TryGetValue(key, out var list)) postings[key] = list = new List<int>(2);
                list.Add(i);
            }
        }
        // Every co-occurrence as one packed long, then sorted so a pair's co-occurrences are adjacent: 8 bytes a
        // co-occurrence, where counting in a dictionary took about 50 (its peak was most of a 20,000-file run's memory).
        var occurrences = new List<long>();
        foreach (var list in postings.Values)
        {
            if (list.Count < 2 || list.Count > MaxPostingLength) continue;
            for (var x = 0; x < list.Count; x++)
            for (var y = x + 1; y < list.Count; y++)
                occurrences.Add(((long)list[x] << 32) | (uint)list[y]);
        }
        postings.Clear();
        var sorted = CollectionsMarshal.AsSpan(occurrences);
        sorted.Sort();
        var pairs = new List<(int A, int B)>();
        for (var start = 0; start < sorted.Length;)
        {
            var end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start]) end++;
            if (end - start >= minSharedKeys) pairs.Add(((int)(sorted[start] >> 32), (int)(sorted[start] & 0xFFFF_FFFF)));
            start = end;
        }
        return pairs;
    }

    /// <summary>A multiplicative hash picks the sample, so it does not follow the items' own bit patterns.</summary>
    private static bool IsKey(uint item) => (item * 0x9E3779B1u) >> (32 - KeySampleShift) == 0;
}
