using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Speech;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// Each probed file's centre crop decoded once: features, spectral values, QC, the speech gate, the log-mel excerpt, and the crop
/// fingerprint of duplicate candidates.
/// </summary>
public sealed class AnalysisStep : IRunStep
{
    public string Name => AnalysisStage.Name;
    public string Description => "each file's centre crop decoded once: features, spectral values, QC, speech gate, log-mel excerpt, the crop fingerprint of candidates";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options.AnalysisSettings.Enabled;

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var settings = options.AnalysisSettings;
        var (detectors, signature) = SpeechDetectors.Choose(settings.SpeechSettings, options.SegmentSettings.Parameters, out var fallbackReason);
        if (fallbackReason is not null) run.Warn(fallbackReason);
        // The log-mel excerpt does not change the analysis: a cached row without it is analysed again once, when it is needed.
        var cacheKey = $"v{AnalysisStage.ResultsVersion};crop={settings.CropSettings.CropSeconds};speech={signature}";
        var keepLogMel = settings.WriteMel || options.EmbedSettings.ReadsLogMel;
        var cache = run.Store.LoadAnalysisCache(cacheKey);
        if (keepLogMel && cache.Values.Count(c => c is { Analysis: not null, HasLogMel: false }) is var withoutExcerpt and > 0)
            run.Progress.Message($"{withoutExcerpt} cached analyses kept no log-mel excerpt (a state made by a job without contrastive): " +
                                 "those files are decoded and analysed again, once, to keep the excerpt the contrastive encoder reads");
        var stage = new AnalysisStage(new CropDecoder(run.Decoder, settings.CropSettings), detectors, cache,
            run.CropFingerprints ? run.CandidatePaths : new HashSet<string>(), keepLogMel, options.RetryFailed);
        IReadOnlyList<AnalyzedTrack> analyzed;
        try
        {
            analyzed = await run.ForEachFileAsync(Name, run.Probed.Where(t => t.Status == TrackStatus.Ok).ToList(), stage.Analyze,
                batch => run.Store.SaveAnalyses(run.RunId, cacheKey, batch), cancellationToken, keep: a => a.Compact());
        }
        finally
        {
            stage.ReleaseDetectors();
        }
        run.Analyzed = analyzed;
        run.StoredAnalyses = new StoredAnalyses(run.Store, cacheKey);
        run.OtherFilesOpened += stage.FilesOpened;
        var gate = run.SpeechGate;
        // Decoders describe this run's work; the speech count describes the library.
        var decodedNow = analyzed.Where(a => a is { FromCache: false, Analysis: not null }).ToList();
        run.AnalysisSummary = new AnalysisSummary(
            decodedNow.Count, (int)stage.CacheHits, analyzed.Count(a => a.Error is { } e && !e.Code.IsSkip()),
            decodedNow.Count(a => a.Analysis!.Decoder == SndfileSource.Name), decodedNow.Count(a => a.Analysis!.Decoder == FfmpegPipeSource.Name),
            analyzed.Count(a => a.Analysis is { } done && gate.IsSpeech(done)), signature);
    }
}
