using SSIS.Batch.Engine.Fingerprint;

namespace SSIS.Batch.Tests.Fingerprint;

public class FingerprintMatcherTests
{
    private static uint[] RandomItems(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
    }

    [Fact]
    public void Identical_fingerprints_match_fully_at_offset_zero()
    {
        var a = RandomItems(500, 1);
        Assert.Equal(new Alignment(1.0, 0, 500), FingerprintMatcher.Compare(a, a));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(-40)]
    [InlineData(119)]
    public void The_best_offset_is_found_either_way(int offset)
    {
        var core = RandomItems(600, 2);
        var padding = RandomItems(Math.Abs(offset), 3);
        var shifted = offset > 0 ? [.. padding, .. core] : core[Math.Abs(offset)..];
        var alignment = FingerprintMatcher.Compare(shifted, core);
        Assert.Equal(1.0, alignment.Similarity);
        Assert.Equal(offset, alignment.OffsetItems);
        Assert.Equal(offset * AudioFingerprint.ItemSeconds, alignment.OffsetSeconds, 9);
    }

    [Fact]
    public void Offsets_beyond_the_search_window_are_not_found()
    {
        var core = RandomItems(600, 4);
        var shifted = RandomItems(200, 5).Concat(core).ToArray();
        Assert.True(FingerprintMatcher.Compare(shifted, core, maxOffsetItems: 120).Similarity < 0.6);
    }

    [Fact]
    public void Unrelated_fingerprints_agree_on_about_half_their_bits()
    {
        var similarity = FingerprintMatcher.Compare(RandomItems(800, 6), RandomItems(800, 7)).Similarity;
        Assert.InRange(similarity, 0.5, 0.56);
    }

    [Fact]
    public void Bit_errors_lower_similarity_in_proportion()
    {
        var a = RandomItems(1000, 8);
        var b = a.Select((item, i) => i % 4 == 0 ? item ^ 0b1011u : item).ToArray(); // 3 of 128 bits per 4 items
        Assert.Equal(1 - 3.0 / 128, FingerprintMatcher.Compare(a, b).Similarity, 9);
    }

    [Fact]
    public void Blocking_finds_planted_copies_among_many_unrelated_fingerprints_without_proposing_all_pairs()
    {
        const int count = 20_000;
        var random = new Random(9);
        var fingerprints = Enumerable.Range(0, count).Select(i => RandomItems(240, 100 + i)).ToList();
        var planted = new List<(int, int)>();
        for (var i = 0; i < 200; i++)
        {
            var original = random.Next(count);
            var noisy = fingerprints[original].Skip(7).Select(item => random.Next(3) == 0 ? item ^ (1u << random.Next(32)) : item).ToArray();
            fingerprints.Add(noisy);
            planted.Add((original, fingerprints.Count - 1));
        }

        var pairs = FingerprintBlocking.CandidatePairs(fingerprints).ToHashSet();

        Assert.All(planted, p => Assert.Contains(p, pairs));
        Assert.True(pairs.Count < 2 * planted.Count, $"{pairs.Count} candidate pairs for {planted.Count} planted copies");
    }

    [Fact]
    public void Keys_shared_by_very_many_fingerprints_are_ignored()
    {
        var silence = Enumerable.Repeat(0u, 100).ToArray();
        var fingerprints = Enumerable.Range(0, FingerprintBlocking.MaxPostingLength + 5).Select(_ => silence).ToList();
        Assert.Empty(FingerprintBlocking.CandidatePairs(fingerprints));
    }
}
