using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Tests.Fingerprint;

public class DuplicateResolverTests
{
    private static readonly AudioFingerprint Print = new(Enumerable.Range(0, 300).Select(i => (uint)(i * 2654435761u)).ToArray(), "", 0, 37);

    private static (ProbedTrack, AudioFingerprint) Copy(string path, float? rating, long mtimeTicks) =>
        (new ProbedTrack(new TrackRecord(path.Length, path, Rating: rating), new FileStamp(100, mtimeTicks),
            ProbeOutcome.Ok(new AudioProperties(37, 44100, 2, 128000, "mp3", "mp3"), ProbeMethod.Header), TrackStatus.Ok, null, false, default, 0), Print);

    [Fact]
    public void A_rated_copy_wins_over_newer_unrated_ones()
    {
        var group = DuplicateResolver.Resolve([Copy("/new/unrated.mp3", null, 50), Copy("/old/rated/longer/path.mp3", 0.6f, 10)], 120);
        Assert.Equal("/old/rated/longer/path.mp3", group.Canonical.Track.Track.Path);
        Assert.Equal("canonical: the only rated copy", group.Canonical.Reason);
        Assert.Equal(0.6f, group.MergedRating);
    }

    [Fact]
    public void Among_rated_copies_the_newest_wins_and_its_rating_is_the_merged_one()
    {
        var group = DuplicateResolver.Resolve([Copy("/a.mp3", 0.2f, 10), Copy("/bb.mp3", 1.0f, 30), Copy("/ccc.mp3", null, 99)], 120);
        Assert.Equal("/bb.mp3", group.Canonical.Track.Track.Path);
        Assert.Equal("canonical: newest modification time", group.Canonical.Reason);
        Assert.Equal(1.0f, group.MergedRating);
    }

    [Fact]
    public void With_no_ratings_and_equal_times_the_shortest_path_wins()
    {
        var group = DuplicateResolver.Resolve([Copy("/music/long name.mp3", null, 5), Copy("/m/x.mp3", null, 5)], 120);
        Assert.Equal("/m/x.mp3", group.Canonical.Track.Track.Path);
        Assert.Equal("canonical: shortest path", group.Canonical.Reason);
        Assert.Null(group.MergedRating);
        var other = Assert.Single(group.Members, m => !m.IsCanonical);
        Assert.Equal(1.0, other.SimilarityToCanonical);
        Assert.Equal("same recording as x.mp3", other.Reason);
    }

    [Fact]
    public void The_merged_rating_is_the_most_recently_modified_rated_copys_even_when_another_is_canonical()
    {
        var group = DuplicateResolver.Resolve([Copy("/a.mp3", 0.4f, 10), Copy("/b.mp3", 0.8f, 20)], 120);
        Assert.Equal(0.8f, group.MergedRating);
    }
}
