namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>Reads one container's headers without decoding. Returns null when the headers do not parse.</summary>
public interface IHeaderReader
{
    /// <summary>True when the first bytes show this reader's container (sniffed by content, never by extension).</summary>
    bool Recognises(FileWindow file);

    AudioProperties? Read(FileWindow file);
}
