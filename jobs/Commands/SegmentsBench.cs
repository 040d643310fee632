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
    public static int Run(string fileOrNone, string cacheRoot, double talkMinutes, TextWriter output)
    {
        var path = fileOrNone;
        if (fileOrNone == "none")
        {
            path = Path.Combine(cacheRoot, "audio-seg", $"bench-talk-{talkMinutes:0}min.mp3");
            if (!File.Exists(path))
            {
                output.WriteLine($"building {path} from the speech packages ({talkMinutes:0} min)");
                TalkBuilder.Write(SegmentCorpus.Training(cacheRoot), path, talkMinutes);
                output.WriteLine("  built: run the bench again so the build's memory does not count in the peak");
                return 0;
            }
        }
        var model = SegmenterModel.Load(SegmenterModel.DefaultPath);
        var segmenter = new FileSegmenter(model, new SegmentOptions());
        var decodeClock = Stopwatch.StartNew();
        var decodedSamples = 0L;
        using (var decoder = WholeFileDecoder.Open(path))
        {
            var chunk = new float[SegmentFeatures.SampleRateHz * 10];
            int read;
            while ((read = decoder.Read(chunk)) > 0) decodedSamples += read;
        }
        var decodeSeconds = decodeClock.Elapsed.TotalSeconds;
        var audioSeconds = decodedSamples / (double)SegmentFeatures.SampleRateHz;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = segmenter.Segment(path);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        output.WriteLine($"segments bench: {path}, {audioSeconds / 60:0.0} min of audio, model {model.Version}");
        output.WriteLine($"  ffmpeg decode alone (8 kHz mono floats): {decodeSeconds:0.0} s = {audioSeconds / decodeSeconds:0}x real time");
        output.WriteLine($"  ssis segmentation (decode + features + model + post-processing): {seconds:0.0} s = {audioSeconds / seconds:0}x real time, " +
                         $"{cpu:0.0} s CPU in this process ({audioSeconds / cpu:0}x real time per core), ratio to ffmpeg alone {decodeSeconds / seconds:0.00}");
        output.WriteLine($"  {result.Segments.Count} segments, speech share {result.Verdict.Share:P1}{(result.Error is { } e ? ", error " + e : "")}");
        output.WriteLine($"  peak resident memory of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
        return 0;
    }
}
