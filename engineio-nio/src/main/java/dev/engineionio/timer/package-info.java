/**
 * Timers for the event loops: {@link dev.engineionio.timer.TimerWheel}, a hashed deadline wheel with time as an
 * argument, owned by one thread, whose memory follows the timers each slot holds (per-slot arrays, grown and released
 * per slot). Internal (not exported by the module).
 */
package dev.engineionio.timer;
