using SSIS.Batch.Engine.Fingerprint;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// Duplicate candidates → Chromaprint fingerprints: taken from the analysis's crop (the default source), or decoded
/// here from the whole file (source acoustid).
/// </summary>
public sealed class FingerprintStep : IRunStep
{
    public string Name => FingerprintStage.Name;
    public string Description => "the candidates' Chromaprint fingerprints: from the crop, or decoded from the whole file (`dedupe.source: acoustid`)";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options.FingerprintSettings.Enabled;

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        if (run.CropFingerprints)
        {
            run.Fingerprinted = run.Analyzed.Where(a => run.CandidatePaths.Contains(a.Track.Track.Path))
                .Select(a => new FingerprintedTrack(a.Track, a.CropFingerprint, a.Error, a.FromCache, a.StartedUtc, a.ElapsedMs,
                    a is { Error: null, CropFingerprint: null } ? FingerprintStage.TooShort : null))
                .ToList();
            run.FingerprintCacheHits = run.Fingerprinted.Count(f => f.FromCache);
            return;
        }
        var source = run.Options.FingerprintSettings.Source;
        var stage = new FingerprintStage(run.Decoder, source, run.Options.AnalysisSettings.CropSettings, run.Store.LoadFingerprintCache(source));
        run.Fingerprinted = await run.ForEachFileAsync(Name, run.Candidates.SelectMany(g => g.Members).ToList(), stage.Fingerprint,
            batch => run.Store.SaveFingerprints(run.RunId, source, batch), cancellationToken);
        run.FingerprintCacheHits = (int)stage.CacheHits;
        run.OtherFilesOpened += run.Fingerprinted.Count(f => !f.FromCache);
    }
}
