#!/usr/bin/env python3
"""Writes the reconstructed hardware fixtures (see README.md): proc/cpuinfo, proc/meminfo,
nvidia-smi-query.csv and nvidia-smi.txt per box. Run from this folder; output is committed."""
import os

SPR_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe "
    "syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf "
    "tsc_known_freq pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic "
    "movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l3 cat_l2 cdp_l3 "
    "invpcid_single intel_ppin cdp_l2 ssbd mba ibrs ibpb stibp ibrs_enhanced tpr_shadow flexpriority ept vpid ept_ad fsgsbase "
    "tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid rtm cqm rdt_a avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb "
    "intel_pt avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local "
    "split_lock_detect avx_vnni avx512_bf16 wbnoinvd dtherm ida arat pln pts hfi vnmi avx512vbmi umip pku ospke waitpkg "
    "avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme avx512_vpopcntdq la57 rdpid bus_lock_detect cldemote movdiri "
    "movdir64b enqcmd fsrm md_clear serialize tsxldtrk pconfig arch_lbr ibt amx_bf16 avx512_fp16 amx_tile amx_int8 flush_l1d "
    "arch_capabilities")
ZEN2_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext "
    "fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf rapl pni pclmulqdq monitor "
    "ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm cmp_legacy svm extapic cr8_legacy abm "
    "sse4a misalignsse 3dnowprefetch osvw ibs skinit wdt tce topoext perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 "
    "cdp_l3 hw_pstate ssbd mba ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 cqm rdt_a rdseed adx smap clflushopt clwb "
    "sha_ni xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local clzero irperf xsaveerptr rdpru "
    "wbnoinvd amd_ppin arat npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold "
    "avic v_vmsave_vmload vgif v_spec_ctrl umip rdpid overflow_recov succor smca sme sev sev_es")
ZEN4_FLAGS = ZEN2_FLAGS.replace("sha_ni", "avx512f avx512dq avx512ifma avx512cd sha_ni avx512bw avx512vl") + \
    " avx512_bf16 avx512vbmi avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq la57 pku ospke"

def cpuinfo(vendor, family, model_no, model, sockets, cores, mhz, cache_kb, flags):
    threads = sockets * cores * 2
    out = []
    for p in range(threads):
        physical = (p % (sockets * cores)) // cores
        core = p % cores
        out.append("\n".join([
            f"processor\t: {p}", f"vendor_id\t: {vendor}", f"cpu family\t: {family}", f"model\t\t: {model_no}",
            f"model name\t: {model}", "stepping\t: 8", f"cpu MHz\t\t: {mhz}", f"cache size\t: {cache_kb} KB",
            f"physical id\t: {physical}", f"siblings\t: {cores * 2}", f"core id\t\t: {core}", f"cpu cores\t: {cores}",
            f"apicid\t\t: {p * 2}", f"initial apicid\t: {p * 2}", "fpu\t\t: yes", "fpu_exception\t: yes", "cpuid level\t: 32",
            "wp\t\t: yes", f"flags\t\t: {flags}", "bugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs",
            "bogomips\t: 4200.00", "clflush size\t: 64", "cache_alignment\t: 64",
            "address sizes\t: 46 bits physical, 57 bits virtual", "power management:", ""]))
    return "\n".join(out) + "\n"

def meminfo(total_kb, available_kb, swap_kb):
    free = available_kb - total_kb // 50
    rows = [("MemTotal", total_kb), ("MemFree", free), ("MemAvailable", available_kb), ("Buffers", 1048576),
            ("Cached", total_kb // 40), ("SwapCached", 0), ("Active", total_kb // 60), ("Inactive", total_kb // 80),
            ("SwapTotal", swap_kb), ("SwapFree", swap_kb), ("Dirty", 128), ("Writeback", 0), ("Shmem", 65536),
            ("HugePages_Total", None), ("Hugepagesize", 2048)]
    lines = []
    for k, v in rows:
        if v is None:
            lines.append(f"{k + ':':<16}{0:>8}")
        else:
            lines.append(f"{k + ':':<16}{v:>8} kB")
    return "\n".join(lines) + "\n"

def csv(gpus, driver):
    return "".join(
        f"{g['i']}, {g['name']}, {g['uuid']}, {g['total']}, {g['used']}, {g['free']}, {g['cc']}, {g['bus']}, {driver}, "
        f"{g['util']}, {g['temp']}, {g['power']}\n" for g in gpus)

def banner(gpus, driver, cuda, mig=()):
    w = "+-----------------------------------------+------------------------+----------------------+"
    lines = ["Tue Mar  4 10:12:01 2025       ",
             "+-----------------------------------------------------------------------------------------+",
             f"| NVIDIA-SMI {driver:<22} Driver Version: {driver:<14} CUDA Version: {cuda:<8} |",
             "|-----------------------------------------+------------------------+----------------------+",
             "| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |",
             "| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |",
             "|                                         |                        |               MIG M. |",
             "|=========================================+========================+======================|"]
    for g in gpus:
        temp = "N/A" if str(g['temp']).startswith('[') else f"{g['temp']}C"
        power = "N/A" if str(g['power']).startswith('[') else f"{round(float(g['power']))}W"
        util = "N/A" if str(g['util']).startswith('[') else f"{g['util']}%"
        lines.append("|" + f"{g['i']:>4}  {g['name']}".ljust(37) + "On  |" + f"   {g['bus']} Off |" + f"{'0':>21} |")
        lines.append(f"| N/A  {temp:>4}    P0  {power + ' / ' + str(g['cap']) + 'W':>22} | {str(g['used']) + 'MiB / ' + str(g['total']) + 'MiB':>22} | {util:>8}      Default |")
        lines.append(f"| {'':<39} | {'':<22} | {g.get('migmode', 'Disabled'):>20} |")
        lines.append(w)
    if mig:
        lines += ["",
                  "+-----------------------------------------------------------------------------------------+",
                  "| MIG devices:                                                                            |",
                  "+------------------+----------------------------------+-----------+-----------------------+",
                  "| GPU  GI  CI  MIG |                     Memory-Usage |        Vol|      Shared           |",
                  "|      ID  ID  Dev |                       BAR1-Usage | SM     Unc| CE ENC DEC OFA JPG    |",
                  "|                  |                                  |        ECC|                       |",
                  "|==================+==================================+===========+=======================|"]
        for (gpu, gi, ci, dev, used, total) in mig:
            lines.append(f"| {gpu:>2} {gi:>4} {ci:>3} {dev:>3}  | {str(used) + 'MiB / ' + str(total) + 'MiB':>28}     | 42      0 |  3   0    2    0    0 |")
            lines.append("|                  |                 0MiB / 65535MiB  |           |                       |")
            lines.append("+------------------+----------------------------------+-----------+-----------------------+")
    lines += ["",
              "+-----------------------------------------------------------------------------------------+",
              "| Processes:                                                                              |",
              "|  GPU   GI   CI        PID   Type   Process name                              GPU Memory |",
              "|        ID   ID                                                               Usage      |",
              "|=========================================================================================|",
              "|  No running processes found                                                             |",
              "+-----------------------------------------------------------------------------------------+"]
    return "\n".join(lines) + "\n"

def gpu(i, name, total, used, free, cc, bus, cap, util=0, temp=30, power="60.12", uuid_seed=0, **extra):
    uuid = f"GPU-{uuid_seed:08x}-{i:04x}-4{i:03x}-8{i:03x}-{(uuid_seed * 7919 + i):012x}"
    return dict(i=i, name=name, total=total, used=used, free=free, cc=cc, bus=bus, cap=cap, util=util, temp=temp,
                power=power, uuid=uuid, **extra)

def write(box, cpu, mem, query=None, summary=None, exitcode=None):
    os.makedirs(f"{box}/proc", exist_ok=True)
    open(f"{box}/proc/cpuinfo", "w").write(cpu)
    open(f"{box}/proc/meminfo", "w").write(mem)
    if query is not None:
        open(f"{box}/nvidia-smi-query.csv", "w").write(query)
        open(f"{box}/nvidia-smi.txt", "w").write(summary)
    if exitcode is not None:
        open(f"{box}/nvidia-smi-query.csv.exitcode", "w").write(f"{exitcode}\n")
        open(f"{box}/nvidia-smi.txt.exitcode", "w").write(f"{exitcode}\n")

xeon_6430 = cpuinfo("GenuineIntel", 6, 143, "Intel(R) Xeon(R) Gold 6430", 2, 32, "2100.000", 61440, SPR_FLAGS)
mem_512 = meminfo(527824468, 515873212, 8388604)

# Reference box: 2x Xeon Gold 6430, 512 GB, 4x L40S (46068 MiB total, 45469 MiB free when idle).
l40s = [gpu(i, "NVIDIA L40S", 46068, 1, 45469, "8.9", b, 350, temp=28 + i, power=f"{32.15 + i:.2f}", uuid_seed=0x5a1e40)
        for i, b in enumerate(["00000000:01:00.0", "00000000:41:00.0", "00000000:81:00.0", "00000000:C1:00.0"])]
write("l40s-4x", xeon_6430, mem_512, csv(l40s, "550.54.15"), banner(l40s, "550.54.15", "12.4"))

# DGX A100-style: 2x EPYC 7742, 2 TB, 8x A100-SXM4-80GB; GPU 7 holds 12 GiB of a foreign process.
a100 = [gpu(i, "NVIDIA A100-SXM4-80GB", 81920, 4, 81050, "8.0", b, 400, temp=31, power="61.38", uuid_seed=0xa100)
        for i, b in enumerate(["00000000:07:00.0", "00000000:0F:00.0", "00000000:47:00.0", "00000000:4E:00.0",
                               "00000000:87:00.0", "00000000:90:00.0", "00000000:B7:00.0", "00000000:BD:00.0"])]
a100[7].update(used=12292, free=68762, util=37, power="212.40")
epyc_7742 = cpuinfo("AuthenticAMD", 23, 49, "AMD EPYC 7742 64-Core Processor", 2, 64, "2250.000", 512, ZEN2_FLAGS)
write("a100-8x", epyc_7742, meminfo(2113530700, 2080374784, 0), csv(a100, "535.183.01"), banner(a100, "535.183.01", "12.2"))

# One H100 SXM (81559 MiB) with a single EPYC 9454.
h100 = [gpu(0, "NVIDIA H100 80GB HBM3", 81559, 1, 80994, "9.0", "00000000:18:00.0", 700, temp=34, power="72.90", uuid_seed=0x4100)]
epyc_9454 = cpuinfo("AuthenticAMD", 25, 17, "AMD EPYC 9454 48-Core Processor", 1, 48, "2750.000", 1024, ZEN4_FLAGS)
write("h100-1x", epyc_9454, meminfo(395972380, 389152768, 8388604), csv(h100, "550.90.07"), banner(h100, "550.90.07", "12.4"))

# A workstation with three different boards; the GeForce reports no power reading.
mixed = [gpu(0, "NVIDIA RTX 6000 Ada Generation", 49140, 2, 48507, "8.9", "00000000:17:00.0", 300, temp=33, power="24.71", uuid_seed=0x6000),
         gpu(1, "NVIDIA GeForce RTX 4090", 24564, 3, 24077, "8.9", "00000000:65:00.0", 450, temp=36, power="[N/A]", uuid_seed=0x4090),
         gpu(2, "NVIDIA L4", 23034, 0, 22563, "8.9", "00000000:B3:00.0", 72, temp="[Not Supported]", power="16.32", uuid_seed=0x0004)]
w7 = cpuinfo("GenuineIntel", 6, 143, "Intel(R) Xeon(R) w7-2495X", 1, 24, "2500.000", 46080, SPR_FLAGS)
write("mixed", w7, meminfo(263770504, 255852544, 8388604), csv(mixed, "550.54.15"), banner(mixed, "550.54.15", "12.4"))

# Driver not loaded: nvidia-smi is installed but exits 9 with its usual message, for both invocations.
failure = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n"
write("driver-failure", xeon_6430, mem_512, failure, failure, exitcode=9)

# Two A100 80GB; GPU 0 in MIG mode with two 3g.40gb instances, GPU 1 whole.
mig = [gpu(0, "NVIDIA A100-SXM4-80GB", 81920, 50, 81000, "8.0", "00000000:07:00.0", 400, util="[N/A]", temp=30, power="58.20", uuid_seed=0x3160, migmode="Enabled"),
       gpu(1, "NVIDIA A100-SXM4-80GB", 81920, 4, 81050, "8.0", "00000000:0F:00.0", 400, temp=29, power="57.90", uuid_seed=0x3160)]
write("mig-a100", epyc_7742, meminfo(1056764350, 1040187392, 0), csv(mig, "550.54.15"),
      banner(mig, "550.54.15", "12.4", mig=[(0, 1, 0, 0, 25, 40192), (0, 2, 0, 1, 25, 40192)]))

# A CPU-only box: no NVIDIA tooling at all.
write("cpu-only", w7, meminfo(263770504, 255852544, 8388604))
