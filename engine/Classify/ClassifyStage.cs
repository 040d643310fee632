using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Classify;

/// <summary>A track after one classifier: its rows (from the state or computed now) or the typed error that stopped it.</summary>
public sealed record ClassifiedTrack(AnalyzedTrack Track, IReadOnlyList<WindowScores> Rows, FileError? Error, bool FromCache, int Attempts = 1)
    : IFileOutcome<ClassifiedTrack>, Pipeline.ICachedResult
{
    public ClassifiedTrack WithAttempts(int attempts) => this with { Attempts = attempts };
}

/// <summary>What one classifier gave in a run: its name, version and labels, and each track it ran on.</summary>
public sealed record ClassifierRun(string Name, string Version, IReadOnlyList<string> Labels, IReadOnlyList<ClassifiedTrack> Tracks);

/// <summary>
/// Analysed track → one classifier's rows over its centre crop (decoded again at the model's rate), reused from the
/// state while the file and the classifier's version are unchanged.
/// </summary>
public sealed class ClassifyStage(OnnxClassifier classifier, CropDecoder crops, IReadOnlyDictionary<string, (FileStamp Stamp, float[] Vector)> stored)
{
    public ClassifiedTrack Classify(AnalyzedTrack track)
    {
        var path = track.Track.Track.Path;
        if (stored.TryGetValue(path, out var kept) && kept.Stamp == track.Track.Stamp)
            return new ClassifiedTrack(track, classifier.Unflatten(kept.Vector), null, FromCache: true);
        try
        {
            using var crop = crops.Decode(path, track.Track.Properties!);
            using var atRate = crop.AtRate(classifier.Settings.SampleRateHz);
            using var mono = atRate.Downmix();
            // Through the stored form, so a rerun's rows from the state equal this run's to the bit.
            var rows = classifier.Unflatten(classifier.Flatten(classifier.Classify(mono.Span.ToArray(), crop.StartSeconds)));
            return new ClassifiedTrack(track, rows, null, FromCache: false);
        }
        catch (AudioDecodeException e)
        {
            return new ClassifiedTrack(track, [], new FileError(e.Code, e.Message), FromCache: false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or ObjectDisposedException))
        {
            return new ClassifiedTrack(track, [], UnexpectedErrors.From(e), FromCache: false);
        }
    }
}
