using System.Buffers;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe.Headers;

namespace SSIS.Batch.Engine.Probe;

/// <summary>
/// Reads duration, rate, channels, bit rate, codec and the metadata tags from a file's headers without decoding, in one
/// open of the file, choosing the reader by content (a file with the wrong extension is read right); anything the
/// readers do not know goes to ffprobe.
/// Thread-safe: the counters are the only shared state.
/// </summary>
public sealed class AudioProber(FfprobeReader ffprobe)
{
    /// <summary>Bumped whenever a reader's results change, so cached probes are recomputed.</summary>
    public const int Version = 8;

    private const int HeadBytes = 16 * 1024;

    /// <summary>A header that claims more audio than a week's is not believed (a malformed MP4 can claim 10^19 s): ffprobe judges.</summary>
    private const double MaxPlausibleDurationSeconds = 7 * 24 * 3600;

    /// <summary>As long as ffprobe is given: a local file's headers take milliseconds, so only a hung file system reaches it.</summary>
    private static readonly TimeSpan HeaderDeadline = TimeSpan.FromSeconds(30);

    private static readonly IHeaderReader[] Readers =
        [new WavHeaderReader(), new AiffHeaderReader(), new FlacHeaderReader(), new OggHeaderReader(), new Mp4HeaderReader(), new Mp3HeaderReader()];

    private long _filesOpened;
    private long _ffprobeProcesses;

    /// <summary>Audio files this prober opened.</summary>
    public long FilesOpened => Interlocked.Read(ref _filesOpened);

    /// <summary>ffprobe processes this prober started.</summary>
    public long FfprobeProcesses => Interlocked.Read(ref _ffprobeProcesses);

    public ProbeOutcome Probe(string path)
    {
        ProbeOutcome? header;
        bool fallBack;
        long? contentId;
        try
        {
            (header, fallBack, contentId) = FileDeadline.Run(() => (ProbeHeaders(path, out var ffprobeShouldTry, out var id), ffprobeShouldTry, id), HeaderDeadline);
        }
        catch (TimeoutException)
        {
            return ProbeOutcome.Failed(ErrorCode.DecodeTimeout, $"opening and reading the headers took longer than {HeaderDeadline.TotalSeconds:0} s",
                ProbeMethod.Header);
        }
        if (!fallBack) return header! with { ContentId = contentId };
        Interlocked.Increment(ref _ffprobeProcesses);
        return ffprobe.Probe(path) with { ContentId = contentId };
    }

    /// <summary>
    /// The header readers' outcome, or null with <paramref name="fallBack"/> set when ffprobe should try; and the file's
    /// <see cref="ContentIds"/> id when it could be read.
    /// </summary>
    private ProbeOutcome? ProbeHeaders(string path, out bool fallBack, out long? contentId)
    {
        fallBack = false;
        contentId = null;
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            if (FileKinds.NotAFileReason(path) is { } notAFile) return ProbeOutcome.Failed(ErrorCode.NotAFile, notAFile, ProbeMethod.Header);
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ProbeOutcome.Failed(ErrorCodes.FromException(e), e.Message, ProbeMethod.Header);
        }
        Interlocked.Increment(ref _filesOpened);
        var buffer = ArrayPool<byte>.Shared.Rent(HeadBytes);
        try
        {
            using (handle)
            {
                var length = RandomAccess.GetLength(handle);
                if (length == 0) return ProbeOutcome.Failed(ErrorCode.FileCorrupt, "empty file (0 bytes)", ProbeMethod.Header);
                var headLength = RandomAccess.Read(handle, buffer.AsSpan(0, HeadBytes), 0);
                contentId = ContentIds.Of(handle, length, buffer.AsSpan(0, headLength));
                var file = new FileWindow(handle, length, buffer.AsMemory(0, headLength));
                foreach (var reader in Readers)
                {
                    if (!reader.Recognises(file)) continue;
                    var properties = reader.Read(file);
                    if (properties is { DurationSeconds: > 0 and < MaxPlausibleDurationSeconds, SampleRateHz: > 0, Channels: > 0 })
                        return ProbeOutcome.Ok(properties, ProbeMethod.Header);
                    break;
                }
            }
        }
        catch (IOException e)
        {
            return ProbeOutcome.Failed(ErrorCode.IoError, e.Message, ProbeMethod.Header);
        }
        catch (CorruptHeaderException e)
        {
            return ProbeOutcome.Failed(ErrorCode.FileCorrupt, e.Message, ProbeMethod.Header);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // A header malformed in a way no reader foresaw: ffprobe, the reference reader, judges the file.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        fallBack = true;
        return null;
    }
}
