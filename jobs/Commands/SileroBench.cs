using System.Diagnostics;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Native;
using SSIS.Batch.Engine.Speech;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench silero FOLDER</c>: microseconds per 32 ms Silero window on one thread, with the crop's windows run as
/// one stream and as <c>--streams</c> segments batched side by side (the speech gate's way). Each file's 30 s centre
/// crop is decoded once up front (untimed), as the analysis does; rounds alternate the two so a passing load hits both.
/// </summary>
public static class SileroBench
{
    public static int Run(string folder, int streams, int rounds, TextWriter output)
    {
        var crops = BenchLibrary.Probe(folder).AsParallel().Select(t =>
        {
            using var crop = new CropDecoder(new AudioDecoder(), new CropSpec()).Decode(t.Track.Path, t.Properties!);
            using var atFeatureRate = crop.AtRate(FeatureSummary.SampleRateHz);
            using var mono = atFeatureRate.Downmix();
            using var speechRate = mono.Resample(SileroSpeechDetector.RateHz);
            return speechRate.Span.ToArray();
        }).ToList();
        var model = Path.Combine(NativeLibraries.FindDirectory() ?? "native", SpeechDetectors.SileroModelFile);
        using var single = new SileroSpeechDetector(model, streams: 1);
        using var batched = new SileroSpeechDetector(model, streams);
        output.WriteLine($"silero bench: {crops.Count} centre crops under {folder}, every 32 ms window of each, one thread");
        var singleRates = new List<double>();
        var batchedRates = new List<double>();
        Measure(single, crops); // warm-up: JIT and ONNX Runtime's first-run allocations
        Measure(batched, crops);
        for (var round = 1; round <= rounds; round++)
        {
            singleRates.Add(Measure(single, crops));
            batchedRates.Add(Measure(batched, crops));
            output.WriteLine($"  round {round}: 1 stream {singleRates[^1],6:0.0} µs/window, {streams} streams {batchedRates[^1],6:0.0} µs/window");
        }
        output.WriteLine($"  median: 1 stream {Median(singleRates):0.0} µs/window, {streams} streams {Median(batchedRates):0.0} µs/window " +
                         $"({Median(singleRates) / Median(batchedRates):0.00}x) over {rounds} rounds");
        return 0;
    }

    /// <summary>Microseconds per judged window over every crop.</summary>
    private static double Measure(SileroSpeechDetector detector, List<float[]> crops)
    {
        var clock = Stopwatch.StartNew();
        var windows = crops.Sum(c => detector.Estimate(c).WindowsJudged);
        return clock.Elapsed.TotalMicroseconds / windows;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
