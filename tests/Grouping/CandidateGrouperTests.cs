using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Tests.Grouping;

public class CandidateGrouperTests
{
    private static ProbedTrack Track(string path, double durationS, long sizeBytes = 1000, int bitRateBps = 128_000, int rateHz = 44100, int channels = 2) =>
        new(new TrackRecord(path.GetHashCode(), path), new FileStamp(sizeBytes, 1),
            ProbeOutcome.Ok(new AudioProperties(durationS, rateHz, channels, bitRateBps, "mp3", "mp3"), ProbeMethod.Header),
            TrackStatus.Ok, null, false, DateTime.UtcNow, 0);

    [Fact]
    public void Strict_groups_need_every_field_of_the_signature_to_match()
    {
        var tracks = new[]
        {
            Track("/a", 200.04), Track("/b", 199.96), // same size, duration rounds to 200.0: a group
            Track("/c", 200.0, sizeBytes: 1001),      // other size
            Track("/d", 200.0, bitRateBps: 320_000),  // other bit rate
            Track("/e", 200.0, rateHz: 48000),        // other rate
            Track("/f", 200.0, channels: 1),          // other channels
            Track("/g", 200.2),                       // other duration
        };
        var groups = CandidateGrouper.Group(tracks, GroupingMode.Strict);
        var group = Assert.Single(groups);
        Assert.Equal(["/a", "/b"], group.Members.Select(m => m.Track.Path));
        Assert.Equal("size=1000;duration_s=200.0;rate_hz=44100;bit_rate_bps=128000;channels=2", group.Signature);
    }

    [Fact]
    public void Duration_mode_chains_neighbours_within_the_tolerance_and_drops_singletons()
    {
        var tracks = new[]
        {
            Track("/t1", 100.0), Track("/t2", 101.5, sizeBytes: 9), Track("/t3", 103.4, bitRateBps: 320_000),
            Track("/lonely", 150.0),
            Track("/u1", 300.0), Track("/u2", 300.1),
        };
        var groups = CandidateGrouper.Group(tracks, GroupingMode.Duration, durationToleranceSeconds: 2.0);
        Assert.Equal(2, groups.Count);
        Assert.Equal(["/t1", "/t2", "/t3"], groups[0].Members.Select(m => m.Track.Path));
        Assert.Equal(["/u1", "/u2"], groups[1].Members.Select(m => m.Track.Path));
        Assert.Equal([1, 2], groups.Select(g => g.GroupId));
    }

    [Fact]
    public void Failed_and_unavailable_tracks_are_never_candidates()
    {
        var failed = Track("/x", 100.0) with { Status = TrackStatus.Error, Error = new FileError(ErrorCode.FileCorrupt, "bad") };
        var unavailable = Track("/y", 100.0) with { Status = TrackStatus.Unavailable };
        Assert.Empty(CandidateGrouper.Group([failed, unavailable, Track("/z", 100.0)], GroupingMode.Duration));
    }
}
