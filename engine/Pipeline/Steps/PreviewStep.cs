using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// A preview clip for each file segmented whole, chosen from its segments and the blocks of the segments step's decode
/// (<see cref="SegmentedFile.Preview"/>); kept in the state. Only a file whose segments came from the state and whose
/// preview did not is decoded again.
/// </summary>
public sealed class PreviewStep : IRunStep
{
    public const string StageName = "previews";

    /// <summary>Bumped when the choice changes for the same segments.</summary>
    private const int Version = 2;

    public string Name => StageName;
    public string Description => "a preview clip for each file segmented whole: speech after a pause, the loudest music, else the intro or the start";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options.SegmentSettings.Files != SegmentFiles.None;

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var segmented = run.Segments.Where(s => s.Result.Segments.Count > 0).ToList();
        if (segmented.Count == 0) return;
        var ffmpeg = run.Options.FingerprintSettings.FfmpegPath;
        var parameters = run.Options.SegmentSettings.Parameters;
        var version = $"previews-v{Version}-{segmented[0].Result.ModelVersion}-{SegmentSettings.ParametersHash(parameters)}";
        var stamps = run.Probed.Where(t => t.Stamp is not null).ToDictionary(t => t.Track.Path, t => t.Stamp!.Value);
        var stored = run.Store.LoadEmbeddings(version);
        var decoded = 0;
        run.Previews = await run.ForEachFileAsync(Name, segmented, file =>
        {
            var path = file.Input.Path;
            if (file.Preview is { } chosen) return new PreviewedFile(file.Input, chosen, null, FromCache: false);
            if (stored.TryGetValue(path, out var kept) && kept.Stamp == stamps[path])
                return new PreviewedFile(file.Input, StoredPreview.Unflatten(kept.Vector), null, FromCache: true);
            try
            {
                Interlocked.Increment(ref decoded);
                var result = file.Result;
                return new PreviewedFile(file.Input, Choose(result, PreviewBlockReader.Read(path, ffmpeg, withSpectrum: result.Verdict.IsSpeech, cancellationToken)),
                    null, FromCache: false);
            }
            catch (Audio.AudioDecodeException e)
            {
                return new PreviewedFile(file.Input, null, new FileError(e.Code, e.Message), FromCache: false);
            }
        }, batch => run.Store.SaveEmbeddings(version, batch.Where(p => p is { FromCache: false, Preview: not null })
            .Select(p => (p.Input.Path, stamps[p.Input.Path], StoredPreview.Flatten(p.Preview!)))), cancellationToken);
        run.OtherFilesOpened += decoded;
    }

    /// <summary>A file's preview from its segments (as the state keeps them) and its blocks, as the state will keep it.</summary>
    public static Preview Choose(SegmentationResult result, PreviewBlocks blocks) =>
        StoredPreview.AsStored(PreviewSelector.Select(result.Segments, result.DurationSeconds, result.Verdict.IsSpeech, blocks));
}
