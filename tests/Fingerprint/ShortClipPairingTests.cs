using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Tests.Fingerprint;

/// <summary>
/// Copies of short clips in a candidate group too large to compare all pairs: their fingerprints hold too few items for
/// the sampled index, so they are indexed by every item.
/// </summary>
public class ShortClipPairingTests
{
    [Fact]
    public void Copies_of_3_s_clips_are_found_in_a_group_too_large_for_all_pairs()
    {
        // 40 clips of 2 to 12 s, each with one copy (9 fingerprint items each, as Chromaprint gives 3 s): 80 members.
        var random = new Random(7);
        var members = new List<ProbedTrack>();
        var fingerprints = new Dictionary<string, AudioFingerprint>();
        for (var clip = 0; clip < 40; clip++)
        {
            var raw = Enumerable.Range(0, 9).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray();
            var duration = 2.0 + clip * 0.25;
            foreach (var copy in new[] { "a.wav", "b.mp3" })
            {
                var path = $"/music/clip{clip:00}/{copy}";
                members.Add(Track(path, duration + (copy == "b.mp3" ? 0.05 : 0)));
                fingerprints[path] = new AudioFingerprint(raw, 0, duration);
            }
        }
        Assert.True(members.Count > DuplicateFinder.AllPairsMembers);

        var (groups, counts) = DuplicateFinder.Find([new CandidateGroup(1, GroupingMode.Duration, "duration_s=2.0..11.8", members)],
            fingerprints, new Dictionary<string, IReadOnlyList<string>>(), new DedupeOptions());

        Assert.Equal(40, groups.Count);
        Assert.All(groups, g => Assert.Single(g.Members.Select(m => Path.GetDirectoryName(m.Track.Track.Path)).Distinct()));
        // Each clip is compared with its nearest neighbours, not with all 79 others.
        Assert.InRange(counts.PairsCompared, 40, 80 * DuplicateFinder.TinyNeighbours);
    }

    [Fact]
    public void Short_fingerprints_are_paired_by_every_item_and_long_ones_by_a_sample()
    {
        var random = new Random(3);
        uint[] Print(int items) => Enumerable.Range(0, items).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray();
        var clip = Print(9);
        var song = Print(400);
        // A clip and its copy with one item changed; a second clip; a song, its copy, and an unrelated song.
        uint[] clipCopy = [.. clip[..4], 12345, .. clip[5..]];
        // Durations far apart, so only the indexes pair them.
        var pairs = DuplicateFinder.IndexedPairs([clip, Print(9), clipCopy, song, (uint[])song.Clone(), Print(400)], [3, 30, 3, 100, 100, 200]).ToList();
        Assert.Equal([(0, 2), (3, 4)], pairs.Order());
    }

    [Fact]
    public void A_tiny_fingerprint_is_paired_with_its_nearest_members_by_duration_even_with_no_item_in_common()
    {
        // Three items, each a bit off in the copy (a 3 s clip and its Opus copy), among 100 longer files of about 3 s.
        uint[] clip = [0x1000_0001, 0x2000_0002, 0x3000_0003];
        uint[] copy = [0x1000_0000, 0x2000_0000, 0x3000_0000];
        var random = new Random(5);
        var prints = new List<uint[]> { clip, copy };
        var durations = new List<double> { 3.00, 3.02 };
        for (var i = 0; i < 100; i++)
        {
            prints.Add(Enumerable.Range(0, 20).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray());
            durations.Add(2.0 + i * 0.02);
        }
        var pairs = DuplicateFinder.IndexedPairs(prints, durations).ToList();
        Assert.Contains((0, 1), pairs);
        // Each tiny one reaches at most its nearest neighbours on either side, not the whole group.
        Assert.InRange(pairs.Count(p => p.A == 0 || p.B == 0), 1, 2 * DuplicateFinder.TinyNeighbours);
    }

    private static ProbedTrack Track(string path, double durationSeconds) =>
        new(new TrackRecord(FolderCatalog.StableId(path), path), new FileStamp(1000, 0),
            ProbeOutcome.Ok(new AudioProperties(durationSeconds, 44100, 2, 1_411_200, "pcm_s16le", "wav"), ProbeMethod.Header),
            TrackStatus.Ok, null, false, DateTime.UnixEpoch, 0);
}
