using System.Globalization;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Grouping;

public enum GroupingMode
{
    /// <summary>The seed's signature: size, duration to 0.1 s, sample rate, bit rate, channels. Finds bit-identical copies.</summary>
    Strict,
    /// <summary>Durations within a tolerance (chained): keeps transcodes, whose size and bit rate differ, in one group.</summary>
    Duration,
}

/// <summary>Candidate duplicate groups of two or more tracks; <see cref="Signature"/> says what the members share.</summary>
public sealed record CandidateGroup(int GroupId, GroupingMode Mode, string Signature, IReadOnlyList<ProbedTrack> Members);

/// <summary>Groups successfully probed tracks into duplicate candidates. Pure: no I/O.</summary>
public static class CandidateGrouper
{
    public static IReadOnlyList<CandidateGroup> Group(IEnumerable<ProbedTrack> tracks, GroupingMode mode, double durationToleranceSeconds = 2.0)
    {
        var probed = tracks.Where(t => t is { Status: TrackStatus.Ok, Properties: not null, Stamp: not null }).ToList();
        var groups = mode switch
        {
            GroupingMode.Strict => StrictGroups(probed),
            GroupingMode.Duration => DurationChains(probed, durationToleranceSeconds),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        return groups
            .Where(g => g.Members.Count >= 2)
            .Select(g => (g.Signature, Members: g.Members.OrderBy(m => m.Track.Path, StringComparer.Ordinal).ToList()))
            .OrderBy(g => g.Members[0].Track.Path, StringComparer.Ordinal)
            .Select((g, index) => new CandidateGroup(index + 1, mode, g.Signature, g.Members))
            .ToList();
    }

    /// <summary>The seed's strict signature of one track.</summary>
    public static string StrictSignature(ProbedTrack track)
    {
        var p = track.Properties!;
        return string.Create(CultureInfo.InvariantCulture,
            $"size={track.Stamp!.Value.SizeBytes};duration_s={Math.Round(p.DurationSeconds, 1):0.0};rate_hz={p.SampleRateHz};bit_rate_bps={p.BitRateBps};channels={p.Channels}");
    }

    private static IEnumerable<(string Signature, List<ProbedTrack> Members)> StrictGroups(List<ProbedTrack> tracks) =>
        tracks.GroupBy(StrictSignature, StringComparer.Ordinal).Select(g => (g.Key, g.ToList()));

    /// <summary>Sorted by duration, a new group starts wherever two neighbours differ by more than the tolerance.</summary>
    private static IEnumerable<(string Signature, List<ProbedTrack> Members)> DurationChains(List<ProbedTrack> tracks, double toleranceSeconds)
    {
        var sorted = tracks.OrderBy(t => t.Properties!.DurationSeconds).ThenBy(t => t.Track.Path, StringComparer.Ordinal).ToList();
        var current = new List<ProbedTrack>();
        foreach (var track in sorted)
        {
            if (current.Count > 0 && track.Properties!.DurationSeconds - current[^1].Properties!.DurationSeconds > toleranceSeconds)
            {
                yield return (DurationSignature(current), current);
                current = [];
            }
            current.Add(track);
        }
        if (current.Count > 0) yield return (DurationSignature(current), current);
    }

    private static string DurationSignature(List<ProbedTrack> members) => string.Create(CultureInfo.InvariantCulture,
        $"duration_s={members[0].Properties!.DurationSeconds:0.00}..{members[^1].Properties!.DurationSeconds:0.00}");
}
