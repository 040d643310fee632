using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Segments;
using static SSIS.Batch.Engine.Analysis.FeatureSummary;

namespace SSIS.Batch.Engine.Output;

/// <summary>
/// analysis.parquet: one row per analysed track (its centre crop), and one per file segmented whole without a crop (too
/// long for it), whose crop columns are null and whose verdict and scene come from its segments.
/// </summary>
public static class AnalysisTable
{
    /// <summary>Chroma bins: the 12 pitch classes C..B.</summary>
    private const int PitchClasses = 12;

    public static string FileName => Schema.ParquetFileName;

    /// <summary>Columns from crop_start_s to speech_probability: null in the row of a file segmented whole without a crop.</summary>
    private const int CropColumns = 23;

    public static readonly TableSchema Schema = new("analysis", "one row per analysed track (its centre crop), and per file segmented whole without one",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("crop_start_s", ColumnTypes.Double, "where the crop starts, seconds: (duration − crop) / 2"),
        new("crop_length_s", ColumnTypes.Double, "crop length, seconds (the whole file when it is shorter than the crop)"),
        new("decoder", ColumnTypes.String, "`libsndfile` (in process) or `ffmpeg` (pipe, for what libsndfile cannot open)"),
        new("loudness_lufs", ColumnTypes.Double, "integrated loudness of the crop, LUFS (EBU R128; −inf for silence)"),
        new("peak_dbfs", ColumnTypes.Double, "sample peak, dBFS"),
        new("clipping_ratio", ColumnTypes.Double, "share of samples at or beyond ±0.999 of full scale, 0..1"),
        new("silence_ratio", ColumnTypes.Double, "share of 25 ms frames below −60 dBFS RMS, 0..1"),
        new("rms_mean", ColumnTypes.Double, "mean frame RMS, linear full scale"),
        new("rms_std", ColumnTypes.Double, "standard deviation of frame RMS, linear full scale"),
        new("centroid_mean_hz", ColumnTypes.Double, "mean spectral centroid, Hz"),
        new("centroid_std_hz", ColumnTypes.Double, "standard deviation of the spectral centroid, Hz"),
        new("rolloff_mean_hz", ColumnTypes.Double, "mean 85 % spectral roll-off, Hz"),
        new("flatness_mean", ColumnTypes.Double, "mean spectral flatness, 0 (tonal)..1 (noise)"),
        new("flux_mean", ColumnTypes.Double, "mean spectral flux (rise of the normalised magnitude spectrum)"),
        new("flux_std", ColumnTypes.Double, "standard deviation of spectral flux"),
        new("onset_mean", ColumnTypes.Double, "mean onset strength, dB (mean rise of log-mel bands)"),
        new("tempo_bpm", ColumnTypes.Double, "tempo estimate, beats per minute (0: none found)"),
        new("mfcc_mean", ColumnTypes.FloatVector(MfccCoefficients), "mean of 20 MFCCs (orthonormal DCT-II of the 64-band log-mel, dB)"),
        new("mfcc_std", ColumnTypes.FloatVector(MfccCoefficients), "standard deviation of the 20 MFCCs"),
        new("chroma_mean", ColumnTypes.FloatVector(PitchClasses), "mean chroma, 12 pitch classes C..B, each frame scaled to max 1"),
        new("mel_mean_db", ColumnTypes.FloatVector(MelBands), "mean of the 64 log-mel bands, dB (25 ms window, 10 ms hop, 22,050 Hz)"),
        new("mel_std_db", ColumnTypes.FloatVector(MelBands), "standard deviation of the 64 log-mel bands, dB"),
        new("speech_probability", ColumnTypes.Double, "the crop gate's speech share, 0..1: with the segmenter, speech's share of the non-silent time of the crop's segmented centre; with Silero or the heuristic, the share of windows judged speech"),
        new("is_speech", ColumnTypes.Boolean, "speech content, from the whole-file segments when the file was segmented whole, else from the crop (see `scene_source`): leaves training and recommendations"),
        new("speech_detector", ColumnTypes.String, "the crop gate: the segmenter's version (`segmenter-…`), `silero-v5` or `heuristic-v1`"),
        new("speech_windows", ColumnTypes.Int32, "windows the crop gate judged: 0.1 s blocks (segmenter) or 32 ms windows (Silero, the heuristic)"),
        new("scene", ColumnTypes.String, "`speech`, `music`, `noise`, `silence` or `other` (null: a crop gate without segments)"),
        new("scene_source", ColumnTypes.String, "`whole_file` (the file's segments) or `crop` (the segments of the crop's centre); it also gives `is_speech`"),
        new("scene_speech", ColumnTypes.Double, "share of the segmented time labelled speech, 0..1"),
        new("scene_music", ColumnTypes.Double, "share of the segmented time labelled music, 0..1"),
        new("scene_noise", ColumnTypes.Double, "share of the segmented time labelled noise, 0..1"),
        new("scene_silence", ColumnTypes.Double, "share of the segmented time labelled silence, 0..1"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<AnalyzedTrack> tracks, FileSpeechVerdicts verdicts, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats,
            tracks.Select(t => (Track: t, Speech: verdicts.Of(t.Track.Track.Path, t.Analysis))).Where(t => t.Speech is not null).Select(object?[] (row) =>
            {
                var (t, speech) = (row.Track, row.Speech!);
                var scene = speech.Scene;
                var sceneColumns = new object?[]
                {
                    scene?.Scene.ToString().ToLowerInvariant(), speech.Source == SpeechSource.WholeFile ? "whole_file" : "crop",
                    scene?.Share(SegmentLabel.Speech), scene?.Share(SegmentLabel.Music), scene?.Share(SegmentLabel.Noise), scene?.Share(SegmentLabel.Silence),
                };
                if (t.Analysis is not { } a)
                    return [t.Track.Track.TrackId, t.Track.Track.Path, .. Enumerable.Repeat<object?>(null, CropColumns), speech.IsSpeech, null, null, .. sceneColumns];
                return
                [
                    t.Track.Track.TrackId, t.Track.Track.Path, a.CropStartSeconds, a.CropLengthSeconds, a.Decoder, a.LoudnessLufs, a.PeakDbfs,
                    a.ClippingRatio, a.SilenceRatio, a.RmsMean, a.RmsStd, a.CentroidMeanHz, a.CentroidStdHz, a.RolloffMeanHz, a.FlatnessMean,
                    a.FluxMean, a.FluxStd, a.OnsetMean, a.TempoBpm, a.MfccMean, a.MfccStd, a.ChromaMean, a.MelMeanDb, a.MelStdDb,
                    a.SpeechProbability, speech.IsSpeech, a.SpeechDetector, a.SpeechWindows, .. sceneColumns,
                ];
            }));
}

/// <summary>mel.parquet (behind analysis.write_mel): the log-mel frames of each analysed crop.</summary>
public static class MelTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("mel", "the log-mel frames of each analysed crop (analysis.write_mel)",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("frames", ColumnTypes.Int32, "frames of the stored excerpt: the centre of the crop at a 20 ms hop"),
        new("bands", ColumnTypes.Int32, "mel bands (64)"),
        new("log_mel_db", ColumnTypes.FloatMatrix(MelBands), "log-mel dB, frames × bands: one list of 64 band values per 20 ms frame"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<AnalyzedTrack> tracks, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats,
            tracks.Where(t => t.LogMelDb is { Length: > 0 }).Select(t => new object?[]
            {
                t.Track.Track.TrackId, t.Track.Track.Path, t.LogMelDb!.Length, t.LogMelDb[0].Length, t.LogMelDb,
            }));
}
