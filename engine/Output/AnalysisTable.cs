using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Native.DuckDb;

namespace SSIS.Batch.Engine.Output;

/// <summary>analysis.parquet: one row per analysed track (its centre crop).</summary>
public static class AnalysisTable
{
    public const string FileName = "analysis.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("track_id", ColumnType.BigInt, "the track's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the file"),
        new("crop_start_s", ColumnType.Double, "where the crop starts, seconds: (duration − crop) / 2"),
        new("crop_length_s", ColumnType.Double, "crop length, seconds (the whole file when it is shorter than the crop)"),
        new("decoder", ColumnType.Varchar, "libsndfile (in process) or ffmpeg (pipe, for what libsndfile cannot open)"),
        new("loudness_lufs", ColumnType.Double, "integrated loudness of the crop, LUFS (EBU R128; −inf for silence)"),
        new("peak_dbfs", ColumnType.Double, "sample peak, dBFS"),
        new("clipping_ratio", ColumnType.Double, "share of samples at or beyond ±0.999 of full scale, 0..1"),
        new("silence_ratio", ColumnType.Double, "share of 25 ms frames below −60 dBFS RMS, 0..1"),
        new("rms_mean", ColumnType.Double, "mean frame RMS, linear full scale"),
        new("rms_std", ColumnType.Double, "standard deviation of frame RMS, linear full scale"),
        new("centroid_mean_hz", ColumnType.Double, "mean spectral centroid, Hz"),
        new("centroid_std_hz", ColumnType.Double, "standard deviation of the spectral centroid, Hz"),
        new("rolloff_mean_hz", ColumnType.Double, "mean 85 % spectral roll-off, Hz"),
        new("flatness_mean", ColumnType.Double, "mean spectral flatness, 0 (tonal)..1 (noise)"),
        new("flux_mean", ColumnType.Double, "mean spectral flux (rise of the normalised magnitude spectrum)"),
        new("flux_std", ColumnType.Double, "standard deviation of spectral flux"),
        new("onset_mean", ColumnType.Double, "mean onset strength, dB (mean rise of log-mel bands)"),
        new("tempo_bpm", ColumnType.Double, "tempo estimate, beats per minute (0: none found)"),
        new("mfcc_mean", ColumnType.FloatList, "mean of 20 MFCCs (orthonormal DCT-II of the 64-band log-mel, dB)"),
        new("mfcc_std", ColumnType.FloatList, "standard deviation of the 20 MFCCs"),
        new("chroma_mean", ColumnType.FloatList, "mean chroma, 12 pitch classes C..B, each frame scaled to max 1"),
        new("mel_mean_db", ColumnType.FloatList, "mean of the 64 log-mel bands, dB (25 ms window, 10 ms hop, 22,050 Hz)"),
        new("mel_std_db", ColumnType.FloatList, "standard deviation of the 64 log-mel bands, dB"),
        new("speech_probability", ColumnType.Double, "share of 32 ms windows the detector judged speech, 0..1"),
        new("is_speech", ColumnType.Boolean, "speech_probability above the job's threshold: leaves training and recommendations"),
        new("speech_detector", ColumnType.Varchar, "silero-v5 or heuristic-v1"),
        new("speech_windows", ColumnType.Integer, "32 ms windows the detector judged"),
    ];

    public static void Write(string outputFolder, IEnumerable<AnalyzedTrack> tracks, double speechThreshold) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns,
            tracks.Where(t => t.Analysis is not null).Select(t =>
            {
                var a = t.Analysis!;
                return new object?[]
                {
                    t.Track.Track.TrackId, t.Track.Track.Path, a.CropStartSeconds, a.CropLengthSeconds, a.Decoder, a.LoudnessLufs, a.PeakDbfs,
                    a.ClippingRatio, a.SilenceRatio, a.RmsMean, a.RmsStd, a.CentroidMeanHz, a.CentroidStdHz, a.RolloffMeanHz, a.FlatnessMean,
                    a.FluxMean, a.FluxStd, a.OnsetMean, a.TempoBpm, a.MfccMean, a.MfccStd, a.ChromaMean, a.MelMeanDb, a.MelStdDb,
                    a.SpeechProbability, a.SpeechProbability > speechThreshold, a.SpeechDetector, a.SpeechWindows,
                };
            }));
}

/// <summary>mel.parquet (behind analysis.write_mel): the log-mel frames of each analysed crop.</summary>
public static class MelTable
{
    public const string FileName = "mel.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("track_id", ColumnType.BigInt, "the track's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the file"),
        new("frames", ColumnType.Integer, "frames of the stored excerpt: the centre of the crop at a 20 ms hop"),
        new("bands", ColumnType.Integer, "mel bands (64)"),
        new("log_mel_db", ColumnType.FloatList, "log-mel dB, frames × bands, row-major (frame by frame)"),
    ];

    public static void Write(string outputFolder, IEnumerable<AnalyzedTrack> tracks) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns,
            tracks.Where(t => t.LogMelDb is { Length: > 0 }).Select(t => new object?[]
            {
                t.Track.Track.TrackId, t.Track.Track.Path, t.LogMelDb!.Length, t.LogMelDb[0].Length, t.LogMelDb.SelectMany(f => f).ToArray(),
            }));
}
