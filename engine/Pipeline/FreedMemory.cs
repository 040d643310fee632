namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// Gives back what a step freed, between steps: its garbage is collected and compacted, and what it freed, managed and
/// native (glibc keeps freed C heap pages resident: about 70 MB after the analysis), goes back to the system. The next
/// step then rises from what the run keeps rather than from the last step's high-water mark. At 20,000 files the
/// collections between steps take about 0.4 s in all.
/// </summary>
public static class FreedMemory
{
    public static void GiveBack()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Native.NativeHeap.GiveBackFreePages();
    }
}
