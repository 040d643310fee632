using System.Diagnostics;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench segments FILE|none</c>: one file segmented whole on one worker (features and model in this process,
/// ffmpeg decoding in its child) beside the ffmpeg command line decoding the same file to the same 8 kHz mono floats,
/// in the same run; with <c>none</c>, a 40-minute talk-like MP3 is built once from the speech packages. Prints times
/// real time and this process's peak resident memory (ffmpeg's own is apart).
/// </summary>
public static class SegmentsBench
{
    public static int Run(string fileOrNone, string cacheRoot, double talkMinutes, int rounds, TextWriter output)
    {
        var path = fileOrNone;
        if (fileOrNone == "none")
        {
            path = Path.Combine(cacheRoot, "audio-seg", $"talk-{talkMinutes:0}min.mp3");
            if (!File.Exists(path))
            {
                output.WriteLine($"building {path} from the speech packages ({talkMinutes:0} min)");
                TalkBuilder.Write(SegmentCorpus.Training(cacheRoot), path, talkMinutes);
                output.WriteLine("  built: run the bench again so the build's memory does not count in the peak");
                return 0;
            }
        }
        var model = SegmenterModel.Load(SegmenterModel.DefaultPath);
        using var segmenter = new FileSegmenter(model, new SegmentOptions());
        output.WriteLine($"segments bench: {path}, model {model.Version}, {rounds} alternating rounds, one worker");
        var decodeRates = new List<double>();
        var segmentRates = new List<double>();
        var cpuRates = new List<double>();
        SegmentationResult? result = null;
        for (var round = 1; round <= rounds; round++)
        {
            var decodeClock = Stopwatch.StartNew();
            var audioSeconds = DecodeOnly(path);
            decodeRates.Add(audioSeconds / decodeClock.Elapsed.TotalSeconds);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            result = segmenter.Segment(path);
            segmentRates.Add(result.DurationSeconds / clock.Elapsed.TotalSeconds);
            cpuRates.Add(result.DurationSeconds / (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
            output.WriteLine($"  round {round}: ffmpeg decode alone {decodeRates[^1],5:0}x real time, ssis segmentation {segmentRates[^1],5:0}x real time " +
                             $"({cpuRates[^1]:0}x per CPU second of this process)");
        }
        output.WriteLine($"  {result!.DurationSeconds / 60:0.0} min of audio. Medians: ffmpeg decode alone (8 kHz mono floats) {Median(decodeRates):0}x real time; " +
                         $"ssis segmentation (decode + features + model + post-processing) {Median(segmentRates):0}x real time, " +
                         $"ratio {Median(segmentRates) / Median(decodeRates):0.00}; features + model alone {Median(cpuRates):0}x real time per core");
        output.WriteLine($"  {result.Segments.Count} segments, speech share {result.Verdict.Share:P1}{(result.Error is { } e ? ", error " + e : "")}");
        output.WriteLine($"  peak resident memory of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
        return 0;
    }

    /// <summary>The ffmpeg side: the same decoder process, its output read and dropped; returns the seconds of audio.</summary>
    private static double DecodeOnly(string path)
    {
        var samples = 0L;
        using var decoder = WholeFileDecoder.Open(path);
        var chunk = new float[SegmentFeatures.SampleRateHz * 10];
        int read;
        while ((read = decoder.Read(chunk)) > 0) samples += read;
        return samples / (double)SegmentFeatures.SampleRateHz;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
