using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// Runs one job: catalog → probe → (barrier: group by metadata) → fingerprint → (barrier: resolve duplicates) →
/// Parquet outputs and run.json.
/// </summary>
public sealed class JobRunner(JobOptions options, IRunProgress progress)
{
    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var runId = $"{started:yyyyMMddTHHmmssfffZ}-{Environment.ProcessId}";
        var stageSeconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        void Lap(string stage)
        {
            stageSeconds[stage] = clock.Elapsed.TotalSeconds;
            clock.Restart();
        }

        progress.Message($"Reading catalog {options.Catalog.Description}");
        var tracks = options.Catalog.ReadTracks(cancellationToken).ToList();
        Lap("catalog");

        using var store = new StateStore(options.StateFolder);
        var prober = new AudioProber(new FfprobeReader(options.FfprobePath));
        var probeStage = new ProbeStage(prober, store.LoadProbeCache());
        var probed = (await BoundedStage.RunAsync(ProbeStage.Name, tracks, probeStage.Probe,
                batch => store.SaveProbes(runId, batch.Where(t => t is { FromCache: false, Stamp: not null, Outcome: not null })
                    .Select(t => (t.Track.Path, t.Stamp!.Value, t.Outcome!, t.StartedUtc, t.ElapsedMs))),
                options.Workers, progress, cancellationToken))
            .OrderBy(t => t.Track.TrackId).ThenBy(t => t.Track.Path, StringComparer.Ordinal).ToList();
        Lap(ProbeStage.Name);

        var candidates = CandidateGrouper.Group(probed, options.GroupingMode, options.DurationToleranceSeconds);
        Lap("group");

        var fingerprintOptions = options.FingerprintSettings;
        var decoder = new AudioDecoder(fingerprintOptions.FfmpegPath);
        IReadOnlyList<FingerprintedTrack> fingerprinted = [];
        IReadOnlyList<DuplicateGroup> duplicates = [];
        DedupeSummary? dedupeSummary = null;
        if (fingerprintOptions.Enabled)
        {
            var source = fingerprintOptions.Source;
            var stage = new FingerprintStage(decoder, source, fingerprintOptions.CropSeconds, store.LoadFingerprintCache(source));
            var members = candidates.SelectMany(g => g.Members).ToList();
            fingerprinted = await BoundedStage.RunAsync(FingerprintStage.Name, members, stage.Fingerprint,
                batch => store.SaveFingerprints(runId, source, batch), options.Workers, progress, cancellationToken);
            Lap(FingerprintStage.Name);

            var byPath = fingerprinted.Where(f => f.Fingerprint is not null).ToDictionary(f => f.Track.Track.Path, f => f.Fingerprint!);
            (duplicates, var counts) = DuplicateFinder.Find(candidates, byPath, fingerprintOptions.MatchingSettings, options.Workers);
            Lap("resolve");
            dedupeSummary = new DedupeSummary(source.ToString().ToLowerInvariant(), members.Count, fingerprinted.Count(f => f.Fingerprint is not null),
                (int)stage.CacheHits, fingerprinted.Count(f => f.Error is not null), fingerprinted.Count(f => f.SkippedBecause is not null),
                counts.CandidatePairs, counts.PairsCompared,
                counts.PairsMatched, counts.DuplicateGroups, counts.NonCanonical);
        }

        progress.Message($"Writing outputs to {options.OutputFolder}");
        var rows = TrackRows(probed, fingerprinted, duplicates);
        Directory.CreateDirectory(options.OutputFolder);
        TracksTable.Write(options.OutputFolder, rows);
        GroupsTable.Write(options.OutputFolder, candidates);
        var outputs = new List<string> { TracksTable.FileName, GroupsTable.FileName };
        if (fingerprintOptions.Enabled)
        {
            FingerprintsTable.Write(options.OutputFolder, fingerprintOptions.Source, fingerprinted);
            DuplicatesTable.Write(options.OutputFolder, duplicates);
            outputs.AddRange([FingerprintsTable.FileName, DuplicatesTable.FileName]);
        }
        outputs.Add(RunSummary.FileName);
        Lap("sink");

        var ended = DateTime.UtcNow;
        var errors = rows.Select(r => r.Probe.Error ?? r.LaterError).Where(e => e is not null).ToList();
        var summary = new RunSummary(
            runId, started, ended, (ended - started).TotalSeconds, options.Catalog.Description, options.Workers,
            new RunCounts(
                rows.Count,
                rows.Count(r => r.Probe.Status == TrackStatus.Ok && r.LaterError is null),
                errors.Count,
                rows.Count(r => r.Probe.Status == TrackStatus.Unavailable),
                probed.Count(t => t is { FromCache: false, Outcome: not null }),
                (int)probeStage.CacheHits),
            new RunCounters(prober.FilesOpened + fingerprinted.Count(f => !f.FromCache), prober.FfprobeProcesses,
                fingerprinted.Count(f => f is { FromCache: false, Fingerprint: not null }), decoder.FfmpegProcesses),
            errors.GroupBy(e => e!.Code.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            new GroupSummary(options.GroupingMode.ToString().ToLowerInvariant(), candidates.Count, candidates.Sum(g => g.Members.Count)),
            dedupeSummary,
            stageSeconds,
            new Dictionary<string, string>
            {
                ["ssis"] = typeof(JobRunner).Assembly.GetName().Version?.ToString() ?? "0",
                ["dotnet"] = Environment.Version.ToString(),
                ["duckdb"] = DuckDbConnection.LibraryVersion,
                ["chromaprint"] = fingerprintOptions.Enabled ? ChromaprintFingerprinter.LibraryVersion : "not used",
                ["prober"] = AudioProber.Version.ToString(),
                ["fingerprint_stage"] = FingerprintStage.Version.ToString(),
            },
            outputs);
        summary.Write(options.OutputFolder);
        return summary;
    }

    private static List<TrackRow> TrackRows(IReadOnlyList<ProbedTrack> probed, IReadOnlyList<FingerprintedTrack> fingerprinted,
        IReadOnlyList<DuplicateGroup> duplicates)
    {
        var failures = fingerprinted.Where(f => f.Error is not null).ToDictionary(f => f.Track.Track.Path, f => f.Error!);
        var membership = duplicates.SelectMany(g => g.Members.Select(m => (m.Track.Track.Path, new TrackDuplicate(g.GroupId, m.IsCanonical, g.MergedRating))))
            .ToDictionary(x => x.Path, x => x.Item2);
        return probed.Select(t => new TrackRow(t,
            failures.GetValueOrDefault(t.Track.Path),
            failures.ContainsKey(t.Track.Path) ? FingerprintStage.Name : null,
            membership.GetValueOrDefault(t.Track.Path))).ToList();
    }
}
