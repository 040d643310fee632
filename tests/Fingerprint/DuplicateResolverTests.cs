using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Tests.Fingerprint;

public class DuplicateResolverTests
{
    private static readonly AudioFingerprint Print = new(Enumerable.Range(0, 300).Select(i => (uint)(i * 2654435761u)).ToArray(), 0, 37);

    /// <summary>The seed's order, one dedupe.prefer list away from the default.</summary>
    private static readonly CanonicalCriterion[] SeedOrder = [CanonicalCriterion.Rated, CanonicalCriterion.Newest, CanonicalCriterion.ShortestPath];

    private static DuplicateCandidate Copy(string path, float? rating, long mtimeTicks, string codec = "mp3", int bitRateBps = 128000,
        int sampleRateHz = 44100, params string[] contentKeys) =>
        new(new ProbedTrack(new TrackRecord(path.Length, path, Rating: rating), new FileStamp(100, mtimeTicks),
            ProbeOutcome.Ok(new AudioProperties(37, sampleRateHz, 2, bitRateBps, codec, codec), ProbeMethod.Header), TrackStatus.Ok, null, false, default, 0),
            Print, contentKeys);

    [Fact]
    public void A_rated_copy_wins_over_newer_unrated_ones()
    {
        var group = DuplicateResolver.Resolve([Copy("/new/unrated.mp3", null, 50), Copy("/old/rated/longer/path.mp3", 0.6f, 10)], SeedOrder, 120);
        Assert.Equal("/old/rated/longer/path.mp3", group.Canonical.Track.Track.Path);
        Assert.Equal("canonical: rated: the only rated copy", group.Canonical.Reason);
        Assert.Equal("rated", group.DecidedBy);
        Assert.Equal(0.6f, group.MergedRating);
    }

    [Fact]
    public void In_the_seed_order_the_newest_rated_copy_wins_and_its_rating_is_the_merged_one()
    {
        var group = DuplicateResolver.Resolve([Copy("/a.mp3", 0.2f, 10), Copy("/bb.mp3", 1.0f, 30), Copy("/ccc.mp3", null, 99)], SeedOrder, 120);
        Assert.Equal("/bb.mp3", group.Canonical.Track.Track.Path);
        Assert.Equal("newest", group.DecidedBy);
        Assert.Equal(1.0f, group.MergedRating);
    }

    [Fact]
    public void In_the_seed_order_a_64_kbps_mp3_made_later_beats_its_flac_and_by_default_the_flac_wins()
    {
        var flac = Copy("/lib/song.flac", null, 10, "flac", 900_000);
        var mp3 = Copy("/lib/song.mp3", null, 11, "mp3", 64_000);

        Assert.Equal("/lib/song.mp3", DuplicateResolver.Resolve([flac, mp3], SeedOrder, 120).Canonical.Track.Track.Path);
        var group = DuplicateResolver.Resolve([flac, mp3], CanonicalPreference.Default, 120);
        Assert.Equal("/lib/song.flac", group.Canonical.Track.Track.Path);
        Assert.Equal(("lossless", "canonical: lossless: flac over mp3"), (group.DecidedBy, group.Canonical.Reason));
    }

    [Fact]
    public void Among_lossy_copies_the_default_prefers_the_higher_bit_rate_then_the_higher_sample_rate()
    {
        var original = Copy("/lib/original.m4a", null, 10, "aac", 256_000);
        var quieter = Copy("/lib/minus 6 dB.m4a", null, 20, "aac", 160_000);
        var group = DuplicateResolver.Resolve([original, quieter], CanonicalPreference.Default, 120);
        Assert.Equal(("/lib/original.m4a", "bit_rate"), (group.Canonical.Track.Track.Path, group.DecidedBy));
        Assert.Equal("canonical: bit_rate: 256 kbps over 160 kbps", group.Canonical.Reason);

        var rates = DuplicateResolver.Resolve([Copy("/a.flac", null, 5, "flac", 900_000, 44100), Copy("/b.flac", null, 5, "flac", 900_000, 96000)],
            CanonicalPreference.Default, 120);
        Assert.Equal(("/b.flac", "sample_rate"), (rates.Canonical.Track.Track.Path, rates.DecidedBy));
    }

    [Fact]
    public void With_every_criterion_tied_the_first_path_wins_and_a_shared_content_key_is_an_exact_match()
    {
        var group = DuplicateResolver.Resolve([Copy("/m/b.mp3", null, 5, contentKeys: "bytes:AA"), Copy("/m/a.mp3", null, 5, contentKeys: "bytes:AA")],
            CanonicalPreference.Default, 120);
        Assert.Equal(("/m/a.mp3", "path_order"), (group.Canonical.Track.Track.Path, group.DecidedBy));
        Assert.Null(group.MergedRating);
        var other = Assert.Single(group.Members, m => !m.IsCanonical);
        Assert.Equal((1.0, "same recording as a.mp3", "identical_bytes"), (other.SimilarityToCanonical, other.Reason, other.MatchedBy));
        Assert.Equal("canonical", group.Canonical.MatchedBy);
    }

    [Fact]
    public void The_merged_rating_is_the_most_recently_modified_rated_copys_even_when_another_is_canonical()
    {
        var group = DuplicateResolver.Resolve([Copy("/a.flac", 0.4f, 10, "flac"), Copy("/b.mp3", 0.8f, 20)], CanonicalPreference.Default, 120);
        Assert.Equal("/a.flac", group.Canonical.Track.Track.Path);
        Assert.Equal(0.8f, group.MergedRating);
    }
}
