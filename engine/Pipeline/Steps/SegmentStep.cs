using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>Whole files segmented into speech, music, noise and silence (the ones `segments.files` names), kept in the state.</summary>
public sealed class SegmentStep : IRunStep
{
    public string Name => SegmentStage.Name;
    public string Description => "the files `segments.files` names, decoded whole and cut into speech, music, noise and silence segments";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options.SegmentSettings.Files != SegmentFiles.None;

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var settings = run.Options.SegmentSettings;
        var parameters = settings.Parameters;
        var model = SegmenterModel.Load(SegmenterModel.DefaultPath);
        // One Silero session per worker, reset between files, for the whole step.
        using var segmenter = new FileSegmenter(model, parameters, run.Options.FingerprintSettings.FfmpegPath);
        var stage = new SegmentStage(segmenter, settings.Files);
        var version = StoreVersion(model.Version, parameters);
        var analyses = run.Analyzed.ToDictionary(a => a.Track.Track.Path);
        var inputs = run.Probed.Where(t => t is { Status: TrackStatus.Ok, Stamp: not null }).Select(t =>
        {
            var analysis = analyses.GetValueOrDefault(t.Track.Path);
            return new SegmentInput(t.Track.TrackId, t.Track.Path, analysis?.Analysis?.SpeechProbability, analysis?.Error?.Code == ErrorCode.FileTooLong,
                CropFailed: analysis?.Error is { Code: not ErrorCode.FileTooLong });
        }).Where(stage.Wants).ToList();
        var stamps = run.Probed.Where(t => t.Stamp is not null).ToDictionary(t => t.Track.Path, t => t.Stamp!.Value);
        var stored = run.Store.LoadEmbeddings(version);
        var packSettings = run.Options.FeaturePackSettings;
        var packs = new FeaturePackStep().IsEnabled(run.Options)
            ? new FeaturePackStage(packSettings, run.Options.OutputFolder, run.Options.FingerprintSettings.FfmpegPath)
            : null;
        var storedPacks = packs is null ? null : run.Store.LoadEmbeddings(packSettings.Version);
        run.Segments = await run.ForEachFileAsync(Name, inputs, input =>
        {
            var stamp = stamps[input.Path];
            if (stored.TryGetValue(input.Path, out var kept) && kept.Stamp == stamp)
                return new SegmentedFile(input, StoredSegmentation.Unflatten(input.Path, kept.Vector, model.Version, parameters.SpeechShare), FromCache: true);
            // The decode that segments the file also feeds its preview and its pack (unless the state has that pack).
            var packed = storedPacks is not null && storedPacks.TryGetValue(input.Path, out var pack) && pack.Stamp == stamp;
            var output = stage.Segment(input, packed ? null : packs, cancellationToken);
            var result = StoredSegmentation.AsStored(output.Result, parameters.SpeechShare);
            return new SegmentedFile(input, result, FromCache: false)
            {
                Preview = output.PreviewBlocks is { } blocks ? PreviewStep.Choose(result, blocks) : null,
                Pack = output.Pack,
            };
        },
            batch => run.Store.SaveEmbeddings(version, batch.Where(s => !s.FromCache && !(s.Error is { } e && RetryPolicy.IsTransient(e.Code)))
                .Select(s => (s.Input.Path, stamps[s.Input.Path], StoredSegmentation.Flatten(s.Result)))), cancellationToken);
        run.OtherFilesOpened += stage.FilesOpened;
        // A file whose crop was fine or never decoded (too long) has no error row for a whole decode that broke part-way.
        var broken = run.Segments.Where(s => s is { Error.Code: not ErrorCode.FileTooShort, Input.CropFailed: false }).ToList();
        if (broken.Count > 0)
            run.Warn($"{broken.Count} file(s) segmented whole did not decode to the end; their segments, preview and pack cover what did: " +
                     string.Join("; ", broken.Take(MaxFilesNamed).Select(s => $"{s.Input.Path}: {s.Error!.Code.Name()} {s.Error.Message}")) +
                     (broken.Count > MaxFilesNamed ? $"; and {broken.Count - MaxFilesNamed} more" : ""));
    }

    private const int MaxFilesNamed = 5;

    /// <summary>The weights and every parameter: a change of either segments the files again.</summary>
    private static string StoreVersion(string modelVersion, SegmentOptions parameters) =>
        $"segments-{modelVersion}-{SegmentSettings.ParametersHash(parameters)}";
}
