using System.Text.Json;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Speech;

namespace SSIS.Batch.Engine.Shards;

/// <summary>
/// The stage versions and job settings a shard's cached results depend on. A shard made under others (an upgraded
/// engine, another crop or speech model, another encoder list) is stale: the merge would have to redo its work.
/// </summary>
public static class ShardSettings
{
    public static IReadOnlyDictionary<string, string> Of(JobOptions options)
    {
        var analysis = options.AnalysisSettings;
        var speech = analysis.SpeechSettings;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["prober"] = AudioProber.Version.ToString(),
            ["analysis_stage"] = AnalysisStage.ResultsVersion,
            ["fingerprint_stage"] = FingerprintStage.Version.ToString(),
            ["analysis"] = analysis.Enabled
                ? JsonSerializer.Serialize(new { analysis.CropSettings, speech.Detector, speech.ModelPath, speech.Streams, speech.AnalysedSeconds, analysis.WriteMel })
                : "off",
            // The gate this machine can run: a shard whose node lacked the Silero model fell back to the heuristic, and its
            // analyses are not the ones the merge would keep.
            ["speech_gate"] = analysis.Enabled ? SpeechDetectors.Choose(speech, options.SegmentSettings.Parameters, out _).Signature : "off",
            ["fingerprint"] = options.FingerprintSettings.Enabled ? options.FingerprintSettings.Source.ToString().ToLowerInvariant() : "off",
            ["encoders"] = string.Join(",", PerFileEncoders(options.EmbedSettings)),
            ["onnx"] = JsonSerializer.Serialize(options.EmbedSettings.OnnxSettings),
            ["log_mel_excerpts"] = options.EmbedSettings.ReadsLogMel.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>The encoders a shard runs: those that need no training over the library (the contrastive one is trained at the merge).</summary>
    public static IEnumerable<string> PerFileEncoders(EmbedOptions embed) => embed.EncoderNames.Where(n => n != Encoders.ContrastiveName);
}
