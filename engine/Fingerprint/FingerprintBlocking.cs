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

    /// <summary>Pairs (i &lt; j) of fingerprints sharing at least <paramref name="minSharedKeys"/> sampled items.</summary>
    public static IReadOnlyList<(int A, int B)> CandidatePairs(IReadOnlyList<uint[]> fingerprints, int minSharedKeys = 2)
    {
        var postings = new Dictionary<uint, List<int>>();
        var keys = new HashSet<uint>();
        for (var i = 0; i < fingerprints.Count; i++)
        {
            keys.Clear();
            foreach (var item in fingerprints[i])
                if (IsKey(item)) keys.Add(item);
            foreach (var key in keys)
            {
                if (!postings.TryGetValue(key, out var list)) postings[key] = list = new List<int>(2);
                list.Add(i);
            }
        }
        var shared = new Dictionary<long, int>();
        foreach (var list in postings.Values)
        {
            if (list.Count < 2 || list.Count > MaxPostingLength) continue;
            for (var x = 0; x < list.Count; x++)
            for (var y = x + 1; y < list.Count; y++)
            {
                var pair = ((long)list[x] << 32) | (uint)list[y];
                shared[pair] = shared.GetValueOrDefault(pair) + 1;
            }
        }
        return shared.Where(p => p.Value >= minSharedKeys)
            .Select(p => ((int)(p.Key >> 32), (int)(p.Key & 0xFFFF_FFFF)))
            .OrderBy(p => p.Item1).ThenBy(p => p.Item2)
            .ToList();
    }

    /// <summary>A multiplicative hash picks the sample, so it does not follow the items' own bit patterns.</summary>
    private static bool IsKey(uint item) => (item * 0x9E3779B1u) >> (32 - KeySampleShift) == 0;
}
