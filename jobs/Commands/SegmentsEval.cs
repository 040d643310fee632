using System.Diagnostics;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis eval segments</c>: segments every file of the evaluation set (built once from the evaluation packages, seeded)
/// through the same path as a run (ffmpeg decode, shipped weights, post-processing) and reports frame accuracy with a
/// collar around true boundaries, per-class recall and precision, each file's speech verdict, and the share of plain
/// speech and plain music files flagged as speech.
/// </summary>
public static class SegmentsEval
{

    /// <param name="set"><c>A</c> or <c>B</c> (the two evaluation sets, kept under <paramref name="cacheRoot"/>), or a folder holding a built set</param>
    public static int Run(string set, string cacheRoot, string? modelPath, bool showSegments, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var setFolder = set switch
        {
            "A" => Path.Combine(cacheRoot, "audio-seg", "eval-set"),
            "B" => Path.Combine(cacheRoot, "audio-seg", "eval-set-b"),
            _ => set,
        };
        if (!File.Exists(Path.Combine(setFolder, EvaluationSet.TruthFile)))
        {
            if (set is not ("A" or "B")) throw new Config.ConfigException($"option --set: {setFolder} holds no {EvaluationSet.TruthFile}: give --set A, B or a built set's folder");
            output.WriteLine($"building evaluation set {set} in {setFolder} from its evaluation packages under {cacheRoot}");
            if (set == "A") EvaluationSet.Build(SegmentCorpus.Evaluation(cacheRoot, log: output), setFolder);
            else EvaluationSet.Build(SegmentCorpus.EvaluationB(cacheRoot, log: output), setFolder, seed: 16);
        }
        var files = EvaluationSet.Load(setFolder);
        var model = SegmenterModel.Load(modelPath ?? SegmenterModel.DefaultPath);
        var options = new SegmentOptions();
        using var segmenter = new FileSegmenter(model, options);
        output.WriteLine($"eval segments: {files.Count} files in {setFolder}, model {model.Version}, collar {FrameScore.CollarSeconds} s");
        var results = files.AsParallel().AsOrdered().WithDegreeOfParallelism(2)
            .Select(f => (File: f, Result: segmenter.Segment(Path.Combine(setFolder, f.Path)))).ToList();
        var audioSeconds = results.Sum(r => r.Result.DurationSeconds);

        var mixed = new FrameScore();
        var verdictsRight = 0;
        var mixedFiles = 0;
        output.WriteLine("  file            truth-verdict  verdict  speech-share  frame-accuracy  segments");
        foreach (var (file, result) in results)
        {
            var fileScore = new FrameScore();
            fileScore.Add(file.Truth, result.Segments, FrameScore.CollarSeconds);
            var truthVerdict = SpeechVerdict.Of(file.Truth, options.SpeechShare);
            if (file.Kind is "podcast" or "song")
            {
                mixed.Add(file.Truth, result.Segments, FrameScore.CollarSeconds);
                mixedFiles++;
                if (truthVerdict.IsSpeech == result.Verdict.IsSpeech) verdictsRight++;
            }
            if (file.Kind is "podcast" or "song" || truthVerdict.IsSpeech != result.Verdict.IsSpeech)
                output.WriteLine($"  {file.Path,-15} {Verdict(truthVerdict.IsSpeech),-14} {Verdict(result.Verdict.IsSpeech),-8} {result.Verdict.Share,12:P0}  " +
                                 $"{fileScore.Accuracy,14:P1}  {result.Segments.Count,8}{(result.Error is { } e ? "  " + e : "")}");
            if (showSegments)
            {
                output.WriteLine("    truth:     " + Describe(file.Truth));
                output.WriteLine("    predicted: " + Describe(result.Segments));
            }
        }
        output.WriteLine($"  podcasts + songs: frame accuracy {mixed.Accuracy:P2} over {mixed.Scored * FrameScore.FrameSeconds / 60:0.0} scored minutes; " +
                         $"speech verdicts right {verdictsRight}/{mixedFiles}");
        foreach (var label in SegmentLabels.All)
            output.WriteLine($"    {label.Name(),-8} recall {Percent(mixed.Recall(label)),7}  precision {Percent(mixed.Precision(label)),7}  " +
                             $"({mixed.TruePerLabel[(int)label] * FrameScore.FrameSeconds / 60:0.0} true minutes)");
        var speechFiles = results.Where(r => r.File.Kind == "speech").ToList();
        var musicFiles = results.Where(r => r.File.Kind == "music").ToList();
        output.WriteLine($"  plain speech files flagged as speech: {speechFiles.Count(r => r.Result.Verdict.IsSpeech)}/{speechFiles.Count} " +
                         $"({speechFiles.Count(r => r.Result.Verdict.IsSpeech) / (double)speechFiles.Count:P1}, bar ≥ 97 %)");
        output.WriteLine($"  plain music files flagged as speech: {musicFiles.Count(r => r.Result.Verdict.IsSpeech)}/{musicFiles.Count} " +
                         $"({musicFiles.Count(r => r.Result.Verdict.IsSpeech) / (double)musicFiles.Count:P1}, bar ≤ 2 %)");
        output.WriteLine($"  {audioSeconds / 60:0.0} min of audio segmented in {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    private static string Describe(IReadOnlyList<Segment> segments) =>
        string.Join(" ", segments.Select(s => $"{s.Label.Name()}[{s.StartSeconds:0.0}-{s.EndSeconds:0.0}]"));

    private static string Verdict(bool isSpeech) => isSpeech ? "speech" : "not speech";

    /// <summary>A share as a percentage, or "n/a" where the set has none of a class (a share of nothing).</summary>
    private static string Percent(double share) => double.IsNaN(share) ? "n/a" : share.ToString("P1", System.Globalization.CultureInfo.InvariantCulture);
}
