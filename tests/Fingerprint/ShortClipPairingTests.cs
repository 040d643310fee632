using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Tests.Fingerprint;

/// <summary>
/// Copies of short clips in a candidate group too large to compare all pairs: their fingerprints hold too few items for
/// the inverted index, so they are paired by duration instead.
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
        // Each clip is compared with the clips of a close duration, not with all 79 others.
        Assert.InRange(counts.PairsCompared, 40, 80 * 79 / 2 - 1);
    }

    [Fact]
    public void Short_file_pairs_reach_long_neighbours_within_the_window_and_no_further()
    {
        // Items, seconds: a short 3 s clip, a long file 1.5 s longer (reached), another short one 2.1 s longer
        // (too far), and two long files close to each other (left to the index).
        var pairs = DuplicateFinder.ShortFilePairs([(9, 3.0), (200, 4.5), (9, 5.1), (200, 30.0), (200, 30.5)]);
        Assert.Equal([(0, 1), (1, 2)], pairs.Order());
    }

    private static ProbedTrack Track(string path, double durationSeconds) =>
        new(new TrackRecord(FolderCatalog.StableId(path), path), new FileStamp(1000, 0),
            ProbeOutcome.Ok(new AudioProperties(durationSeconds, 44100, 2, 1_411_200, "pcm_s16le", "wav"), ProbeMethod.Header),
            TrackStatus.Ok, null, false, DateTime.UnixEpoch, 0);
}
