using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>Barrier: duplicate groups from fingerprints and content keys, each with the copy to keep.</summary>
public sealed class ResolveStep : IRunStep
{
    public string Name => "resolve";
    public string Description => "duplicate groups from fingerprints and content keys, each with the copy to keep";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => options.FingerprintSettings.Enabled;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var settings = run.Options.FingerprintSettings;
        var fingerprinted = run.Fingerprinted;
        var byPath = fingerprinted.Where(f => f.Fingerprint is not null).ToDictionary(f => f.Track.Track.Path, f => f.Fingerprint!);
        var (contentKeys, filesRead) = ContentKeysOf(run);
        run.OtherFilesOpened += filesRead;
        (run.Duplicates, var counts) = DuplicateFinder.Find(run.Candidates, byPath, contentKeys, settings.MatchingSettings, run.Options.Workers);
        run.DedupeSummary = new DedupeSummary(settings.Source.ToString().ToLowerInvariant(), run.Candidates.Sum(g => g.Members.Count),
            fingerprinted.Count(f => f.Fingerprint is not null), run.FingerprintCacheHits, fingerprinted.Count(f => f.Error is { } e && !e.Code.IsSkip()),
            fingerprinted.Count(f => f.SkippedBecause is not null), counts.CandidatePairs, counts.PairsCompared,
            counts.PairsMatched, counts.DuplicateGroups, counts.NonCanonical, counts.MatchedByContent);
        return Task.CompletedTask;
    }

    /// <summary>Each candidate's content keys: its bytes' when another member has its size, its decoded audio's when it is too short to fingerprint.</summary>
    private static (Dictionary<string, IReadOnlyList<string>> Keys, int FilesRead) ContentKeysOf(RunContext run)
    {
        var (files, filesRead) = ContentKeys.IdenticalFiles(run.Candidates, run.Options.StateFolder);
        var audio = run.Analyzed.Where(a => a.DecodedAudioKey is not null).ToDictionary(a => a.Track.Track.Path, a => a.DecodedAudioKey!);
        return (files.Keys.Union(audio.Keys).ToDictionary(p => p,
            p => (IReadOnlyList<string>)new[] { files.GetValueOrDefault(p), audio.GetValueOrDefault(p) }.OfType<string>().ToList()), filesRead);
    }
}
