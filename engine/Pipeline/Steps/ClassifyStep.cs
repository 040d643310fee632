using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Classify;
using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>Every `classify:` model over the analysed crops its `apply_to` selects, by the speech gate's verdict.</summary>
public sealed class ClassifyStep : IRunStep
{
    public string Name => "classify";
    public string Description => "every `classify:` ONNX model over the crops of the tracks it applies to (speech, music or all, by the speech gate)";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options is { Classifiers.Count: > 0, AnalysisSettings.Enabled: true };

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var verdicts = run.SpeechVerdicts;
        var crops = new CropDecoder(run.Decoder, options.AnalysisSettings.CropSettings);
        foreach (var settings in options.Classifiers)
        {
            using var classifier = new OnnxClassifier(settings);
            var tracks = run.Analyzed.Where(a => a is { Analysis: not null, Track.Stamp: not null } && Applies(settings.ApplyTo, verdicts.Of(a.Track.Track.Path, a.Analysis)!.IsSpeech))
                .ToList();
            var stage = new ClassifyStage(classifier, crops, run.Store.LoadEmbeddings(classifier.Version));
            var classified = await run.ForEachFileAsync($"{Name} {settings.Name}", tracks, stage.Classify,
                batch => run.Store.SaveEmbeddings(classifier.Version, batch.Where(c => c is { FromCache: false, Error: null })
                    .Select(c => (c.Track.Track.Track.Path, c.Track.Track.Stamp!.Value, classifier.Flatten(c.Rows)))), cancellationToken);
            foreach (var failed in classified.Where(c => c.Error is not null))
                run.Progress.Message($"classify {settings.Name}: {failed.Track.Track.Track.Path}: {failed.Error!.Code.Name()} {failed.Error.Message}");
            run.Classifications.Add(new ClassifierRun(settings.Name, classifier.Version, classifier.Labels, classified));
            run.OtherFilesOpened += classified.Count(c => !c.FromCache);
        }
    }

    private static bool Applies(ClassifyTracks applyTo, bool isSpeech) => applyTo switch
    {
        ClassifyTracks.Speech => isSpeech,
        ClassifyTracks.Music => !isSpeech,
        _ => true,
    };
}
